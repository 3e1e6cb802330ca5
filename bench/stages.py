"""Sums async-profiler's collapsed stacks of a server's request threads by request stage, and prints
each stage's share and its CPU per request (the share of those threads' CPU per request, read from
bench/lib.sh's measure report). A sample counts for the first stage any of its frames matches, in
the order below, so the signature is never counted inside the stages that call it.
TARGET serve: signet serve's event loops on GET /me; spring: the Spring Boot example's Tomcat
threads (http-nio-*) on GET /whoami.
spring-unverified: the same stages for the example's open GET /healthz.
Usage: python3 bench/stages.py cpu.collapsed me.report [serve|spring|spring-unverified]"""
import re
import sys
from collections import Counter

SERVE = [
    ("Ed25519 signature (libsodium or BouncyCastle)", ("Ed25519PublicKey.verify",)),
    ("token: split, base64url, JSON header and claims, binding (SHA-256), checks",
     ("BearerAuthenticator.check", "GrapheneAccess")),
    ("replay claim", ("RequestAuthenticator.claim", "CheckedToken.consume", "ReplayStore")),
    ("response: envelope JSON, headers, encoding", ("Envelope.send",)),
    ("socket writes (flush: writev, kernel TCP)", ("VertxConnection.checkFlush",)),
    ("routing, body handler, request id, metrics, futures", ("RouterImpl.handle",)),
    ("socket reads and HTTP/1.1 decoding", ("VertxConnection.read", "EpollIoHandler.run")),
]
SPRING = [
    ("Ed25519 signature (libsodium or BouncyCastle)", ("Ed25519PublicKey.verify",)),
    ("Signet: request view, token, checks, replay claim", ("ServletVerifier.verify",)),
    ("response: Jackson writing the controller's map", ("AbstractJackson2HttpMessageConverter.writeInternal",)),
    ("Spring MVC: dispatch, argument resolution, controller", ("DispatcherServlet.doDispatch",)),
    ("Spring Security filter chain (context, authorization, headers)", ("FilterChainProxy.doFilter",)),
    ("socket writes (flush, kernel TCP)", ("NioSocketWrapper.doWrite",)),
    ("Tomcat: socket reads, HTTP/1.1 parsing, request objects, poller", ("Http11Processor.service", "NioEndpoint")),
]
TARGETS = {"serve": (SERVE, "[vert.x-eventloop", "vert.x-eventloo", "verified GET /me"),
           "spring": (SPRING, "[http-nio-", "http-nio--", "verified GET /whoami"),
           "spring-unverified": (SPRING, "[http-nio-", "http-nio--", "unverified GET /healthz")}

def main(collapsed, report, target="serve"):
    stages, thread_prefix, thread_kind, request = TARGETS[target]
    per_request = float(re.search(re.escape(thread_kind) + r" ([\d.]+) us", open(report).read()).group(1))
    sums, total = Counter(), 0
    for line in open(collapsed):
        stack, n = line.rstrip("\n").rsplit(" ", 1)
        frames = stack.split(";")
        if not frames[0].startswith(thread_prefix):
            continue
        total += int(n)
        stage = next((name for name, marks in stages if any(m in f for f in frames for m in marks)), "other")
        sums[stage] += int(n)
    print("== request threads' CPU per %s: %.1f us (%d samples)" % (request, per_request, total))
    print("| stage | share | us per request |")
    print("|---|---:|---:|")
    for name, _ in stages + [("other", ())]:
        share = sums[name] / total if total else 0
        print("| %s | %.1f%% | %.1f |" % (name, 100 * share, share * per_request))

if __name__ == "__main__":
    main(*sys.argv[1:])
