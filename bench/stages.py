"""Sums async-profiler's collapsed stacks of signet serve's event-loop threads by request stage, and
prints each stage's share and its CPU per request (the share of the event loops' CPU per request,
read from bench/lib.sh's measure report). A sample counts for the first stage any of its frames
matches, in the order below, so the signature is never counted inside the stages that call it.
Usage: python3 bench/stages.py cpu.collapsed me.report"""
import re
import sys
from collections import Counter

STAGES = [
    ("Ed25519 signature (libsodium or BouncyCastle)", ("Ed25519PublicKey.verify",)),
    ("token: split, base64url, JSON header and claims, binding (SHA-256), checks",
     ("BearerAuthenticator.check", "GrapheneAccess")),
    ("replay claim", ("RequestAuthenticator.claim", "CheckedToken.consume", "ReplayStore")),
    ("response: envelope JSON, headers, encoding", ("Envelope.send",)),
    ("socket writes (flush: writev, kernel TCP)", ("VertxConnection.checkFlush",)),
    ("routing, body handler, request id, metrics, futures", ("RouterImpl.handle",)),
    ("socket reads and HTTP/1.1 decoding", ("VertxConnection.read", "EpollIoHandler.run")),
]

def main(collapsed, report):
    per_request = float(re.search(r"vert\.x-eventloo ([\d.]+) us", open(report).read()).group(1))
    sums, total = Counter(), 0
    for line in open(collapsed):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        if not frames[0].startswith("[vert.x-eventloop"):
            continue
        total += int(n)
        stage = next((name for name, marks in STAGES if any(m in f for f in frames for m in marks)), "other")
        sums[stage] += int(n)
    print("== event-loop CPU per verified GET /me: %.1f us (%d samples)" % (per_request, total))
    print("| stage | share | us per request |")
    print("|---|---:|---:|")
    for name, _ in STAGES + [("other", ())]:
        share = sums[name] / total if total else 0
        print("| %s | %.1f%% | %.1f |" % (name, 100 * share, share * per_request))

if __name__ == "__main__":
    main(*sys.argv[1:])
