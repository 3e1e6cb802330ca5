#!/usr/bin/env bash
# Load benchmark of signet serve on its embedded default: verified GET /me (a distinct mixin-bot
# EdDSA token per request) next to unauthenticated GET /healthz, in one run, with the server
# process's CPU time per request (and per thread kind), a paced run at about half the peak rate,
# and the raw Ed25519 verification (libsodium and BouncyCastle, JMH) in the same run; then a minimal
# Vert.x server answering a constant (dev.signet.bench.ConstantServer, the framework's floor) with
# the same load as /healthz; and /healthz paced at /me's peak rate (the floor at the same rate).
# Needs wrk.
# With BASELINE=<git revision>, that revision's server is built in a worktree and measured on the
# same GET /me load first, back to back with this checkout's, and the two are compared.
# Usage: bench/load.sh   (DURATION, WARMUP, CONNECTIONS, THREADS, PORT, BASELINE override the defaults)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}     # seconds of /me before measuring: the JIT must be done, as in JMH
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
BASELINE=${BASELINE:-}

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
pid=""
cleanup() {
  kill "$pid" 2>/dev/null || true
  [ -d "$work/baseline" ] && git worktree remove --force "$work/baseline" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# serve NAME: starts the server (SERVE_JAR's, or this checkout's), registers a session, signs the
# token files, warms the JIT on /me and /healthz, and measures NAME-me.
serve() {
  local name=$1
  pid=$(start_node "$work/$name.log" "$PORT" SIGNET_DATA_DIR="$work/$name-data")
  new_keystore "$PORT" "$work/$name-keystore.json"
  sleep 1.1   # tokens must be issued after the server's start second
  tokens "$work/$name-keystore.json" $(( WARMUP * 20000 )) "$work/warm.txt"
  tokens "$work/$name-keystore.json" $(( DURATION * 20000 )) "$work/me.txt"
  wrk_me /dev/null "$work/warm.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT/healthz" > /dev/null
  measure "$name-me" "$pid" wrk_me /dev/stdout "$work/me.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
}

if [ -n "$BASELINE" ]; then
  git worktree add --detach "$work/baseline" "$BASELINE" > /dev/null
  (cd "$work/baseline" && ./mvnw -q -B -ntp package -DskipTests -pl signet-cli -am)
  SERVE_JAR="$work/baseline/signet-cli/target/signet.jar" serve baseline
  kill "$pid"; wait "$pid" 2>/dev/null || true
fi

serve this
measure healthz "$pid" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
peak=$(awk '/Requests\/sec/ {print $2}' "$work/this-me.out")
# The floor at /me's own rate: at /healthz's much higher peak the kernel batches more per wake and
# wrk rarely sleeps, while at /me's rate each answer wakes it (on loopback that wake is the
# server's system time), so the difference of the two peaks also counts rate, not only work.
read -r conns delay < <(pacing "$peak" "$CONNECTIONS")
measure healthz-same-rate "$pid" env DELAY_MS="$delay" wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency \
  -s bench/paced.lua "http://127.0.0.1:$PORT/healthz"
tokens "$work/this-keystore.json" $(( DURATION * 20000 )) "$work/half.txt"
# About half the peak: each connection waits its delay between requests.
read -r conns delay < <(pacing "$(python3 -c "print($peak / 2)")" "$CONNECTIONS")
measure me-half-peak "$pid" wrk_me /dev/stdout "$work/half.txt" "$PORT" "$THREADS" "$conns" "$DURATION" "$delay"
kill "$pid"; wait "$pid" 2>/dev/null || true
java ${JAVA_OPTS:-} -cp signet-bench/target/benchmarks.jar dev.signet.bench.ConstantServer "$PORT" > "$work/constant.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$PORT/healthz" > /dev/null
measure constant "$pid" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
raw_verify "$work/raw.json"
python3 - "$work" "$BASELINE" <<'PY'
import json, os, re, sys
work, baseline = sys.argv[1:]
raw = {b["benchmark"].rsplit(".", 1)[1]: 1e6 / b["primaryMetric"]["score"] for b in json.load(open(work + "/raw.json"))}
def rps(name):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", open("%s/%s.out" % (work, name)).read()).group(1))
def cpu(name):
    return float(re.search(r"server CPU per request: ([\d.]+)", open("%s/%s.report" % (work, name)).read()).group(1))
print("== ratios, same run")
print("   CPU per verified GET /me / libsodiumRawVerify: %.2fx (%.1f us / %.1f us)"
      % (cpu("this-me") / raw["libsodiumRawVerify"], cpu("this-me"), raw["libsodiumRawVerify"]))
print("   ... / bouncyCastleRawVerify: %.2fx" % (cpu("this-me") / raw["bouncyCastleRawVerify"]))
print("   what Signet adds: (GET /me - GET /healthz) / libsodiumRawVerify: %.2fx ((%.1f - %.1f) us / %.1f us; target <= 1.2x)"
      % ((cpu("this-me") - cpu("healthz")) / raw["libsodiumRawVerify"], cpu("this-me"), cpu("healthz"), raw["libsodiumRawVerify"]))
print("   ... with the floor at /me's rate: (GET /me - GET /healthz at %.0f/s) / libsodiumRawVerify: %.2fx ((%.1f - %.1f) us / %.1f us)"
      % (rps("healthz-same-rate"), (cpu("this-me") - cpu("healthz-same-rate")) / raw["libsodiumRawVerify"], cpu("this-me"),
         cpu("healthz-same-rate"), raw["libsodiumRawVerify"]))
print("   our HTTP floor: GET /healthz / a minimal Vert.x server's constant answer: %.2fx (%.1f us / %.1f us; target <= 1.3x)"
      % (cpu("healthz") / cpu("constant"), cpu("healthz"), cpu("constant")))
if baseline and os.path.exists(work + "/baseline-me.out"):
    print("   GET /me requests/s, this checkout / %s: %.2fx (%.0f / %.0f); CPU per request %.1f us / %.1f us"
          % (baseline, rps("this-me") / rps("baseline-me"), rps("this-me"), rps("baseline-me"), cpu("this-me"), cpu("baseline-me")))
PY
