#!/usr/bin/env bash
# The refusal throttle under a flood of forged-signature tokens (a real session id, the wrong key:
# each costs a full signature verification until refused) from one address, while a well-behaved
# client from another address keeps sending good tokens at a steady pace. Two nodes in one run, the
# same except abuse.max_refusals: 0 (throttle off: every forged token is verified, as before the
# throttle engages) and 100 (the default: refused before any signature work once engaged). The
# addresses are X-Forwarded-For values from 127.0.0.1, which both nodes trust as a proxy.
# Reports server CPU per flood request against the raw verification (JMH, same run) and the good
# client's p99 unloaded and under each flood. Needs wrk.
# The flood is closed-loop by default (each connection sends again as soon as it is answered).
# Usage: bench/throttle-load.sh   (DURATION, WARMUP, CONNECTIONS, FLOOD_DELAY_MS, GOOD_DELAY_MS override the defaults)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-8}
FLOOD_DELAY_MS=${FLOOD_DELAY_MS:-0}  # >0: each flood connection waits this between requests (a fixed offered
                                     # rate; 24 connections at 1 ms measured worse here: no batching left)
GOOD_DELAY_MS=${GOOD_DELAY_MS:-5}    # the good client: one connection, a request every ~5 ms
FLOODER=203.0.113.9
GOOD=198.51.100.7

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
pid=""
cleanup() { kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

good() { FORWARDED_FOR=$GOOD wrk_me "$1" "$2" "$PORT" 1 1 "$DURATION" "$GOOD_DELAY_MS"; }
# The flood's generator runs at the lowest priority: an attacker's load generator is not on the
# server's cores, and here it would otherwise take CPU from the server and the good client alike.
flood() { CYCLE=1 FORWARDED_FOR=$FLOODER nice -n 19 bash -c "source '$root/bench/lib.sh'; wrk_me '$1' '$work/forged.txt' $PORT 1 $CONNECTIONS $DURATION $FLOOD_DELAY_MS"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

# node NAME MAX_REFUSALS PORT: starts a node, signs good and forged tokens, warms the JIT, then
# measures the good client alone, the flood alone, and both at once.
node() {
  local name=$1
  PORT=$3
  pid=$(start_node "$work/$name.log" "$PORT" SIGNET_DATA_DIR="$work/$name-data" SIGNET_ABUSE_MAX_REFUSALS="$2" \
    SIGNET_DECISIONS_TRUSTED_PROXIES=127.0.0.1)
  new_keystore "$PORT" "$work/$name-good.json"
  new_keystore "$PORT" "$work/$name-other.json"
  # The good session's ids with the other session's private key: well-formed, known key, bad signature.
  python3 - "$work/$name-good.json" "$work/$name-other.json" > "$work/$name-forged.json" <<'PY'
import json, sys
good, other = (json.load(open(f)) for f in sys.argv[1:])
good["session_private_key"] = other["session_private_key"]
print(json.dumps(good))
PY
  sleep 1.1
  tokens "$work/$name-forged.json" 2000 "$work/forged.txt"
  local n=$(( (DURATION * 1000 / GOOD_DELAY_MS + 500) ))
  for f in warm alone during; do tokens "$work/$name-good.json" "$n" "$work/$name-good-$f.txt"; done
  # Warm-up: the good path and the forged path both compiled before anything is measured.
  CYCLE=1 FORWARDED_FOR=198.51.100.200 wrk_me /dev/null "$work/forged.txt" "$PORT" 1 "$CONNECTIONS" "$WARMUP"
  good /dev/null "$work/$name-good-warm.txt"
  measure "$name-good-alone" "$pid" good /dev/stdout "$work/$name-good-alone.txt" > /dev/null
  measure "$name-flood" "$pid" flood /dev/stdout
  good "$work/$name-good-during.out" "$work/$name-good-during.txt" &
  local g=$!
  flood "$work/$name-flood-during.out"
  wait "$g"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

node unthrottled 0 18091
node throttled 100 18092
raw_verify "$work/raw.json"
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
raw = {b["benchmark"].rsplit(".", 1)[1]: 1e6 / b["primaryMetric"]["score"] for b in json.load(open(work + "/raw.json"))}
def cpu(name):
    return float(re.search(r"server CPU per request: ([\d.]+)", open("%s/%s.report" % (work, name)).read()).group(1))
def ms(s):
    v, unit = re.match(r"([\d.]+)(us|ms|s)", s).groups()
    return float(v) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]
def p99(name):
    return ms(re.search(r"^\s+99%\s+(\S+)", open("%s/%s.out" % (work, name)).read(), re.M).group(1))
def status(name):
    t = open("%s/%s.out" % (work, name)).read()
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    return "%s requests, %s refused" % (re.search(r"(\d+) requests in", t).group(1), m.group(1) if m else 0)
r = raw["libsodiumRawVerify"]
print("== ratios, same run (raw libsodium verification %.1f us)" % r)
for name in ("unthrottled", "throttled"):
    print("   %s flood: server CPU per forged request %.1f us = %.2fx one raw verification (%s)"
          % (name, cpu(name + "-flood"), cpu(name + "-flood") / r, status(name + "-flood")))
    print("   %s: good client p99 alone %.2f ms, under the flood %.2f ms = %.2fx (%s during the flood)"
          % (name, p99(name + "-good-alone"), p99(name + "-good-during"), p99(name + "-good-during") / p99(name + "-good-alone"),
             status(name + "-good-during")))
PY
