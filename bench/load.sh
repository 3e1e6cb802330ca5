#!/usr/bin/env bash
# Load benchmark of signet serve on its embedded default: verified GET /me (a distinct mixin-bot
# EdDSA token per request) next to unauthenticated GET /healthz, in one run, with the server
# process's CPU time per request, a paced run at about half the peak rate, and the raw Ed25519
# verification cost measured by JMH in the same run. Needs wrk (apt-get install wrk).
# Usage: bench/load.sh   (DURATION, WARMUP, CONNECTIONS, THREADS override the defaults)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}     # seconds of /me before measuring: the JIT must be done, as in JMH
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
command -v wrk >/dev/null || { echo "load.sh: wrk is required (apt-get install wrk)" >&2; exit 2; }

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export SIGNET_ADMIN_TOKEN=bench-admin-token-0123456789
SIGNET_DATA_DIR="$work/data" SIGNET_PORT=$PORT SIGNET_HOST=127.0.0.1 \
  java ${JAVA_OPTS:-} -jar signet-cli/target/signet.jar serve > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

signet() { java -jar signet-cli/target/signet.jar "$@"; }
uid=$(signet admin --server "http://127.0.0.1:$PORT" user create | sed -n 's/.*"user_id" : "\(.*\)".*/\1/p')
signet admin --server "http://127.0.0.1:$PORT" session create --user "$uid" \
  | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["keystore"]))' > "$work/keystore.json"
sleep 1.1   # tokens must be issued after the server's start second

count=$(( DURATION * 20000 ))
tokens() { java -cp signet-bench/target/benchmarks.jar dev.signet.bench.TokenFile "$work/keystore.json" "$1" GET /me > "$2"; }
tokens $(( WARMUP * 20000 )) "$work/warm.txt"
tokens "$count" "$work/me.txt"
tokens "$count" "$work/half.txt"

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# CPU ticks per thread kind (event loops, workers, GC, JIT, ...), to see where the time goes.
threads() {
  for t in /proc/$pid/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9#' < "$t/comm" | sed 's/ *$//')" "$(awk '{print $14 + $15}' "$t/stat")"
  done 2>/dev/null | awk -F'\t' '{s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | sort
}
run() {  # name, then wrk arguments; prints wrk's output and the server CPU per request
  local name=$1; shift
  local before after
  threads > "$work/$name.threads.before"
  before=$(cpu)
  WRK_THREADS=$THREADS wrk -t"$THREADS" --latency "$@" > "$work/$name.out"
  after=$(cpu)
  threads > "$work/$name.threads.after"
  local reqs
  reqs=$(awk '/requests in/ {print $1}' "$work/$name.out")
  echo "== $name"
  grep -E "Requests/sec|Latency   |50%|90%|99%|Non-2xx|requests in" "$work/$name.out" | sed 's/^/   /'
  python3 -c "print('   server CPU per request: %.1f us' % ((${after} - ${before}) / ${ticks} / ${reqs} * 1e6))"
  python3 - "$work/$name.threads.before" "$work/$name.threads.after" "$ticks" "$reqs" <<'PY'
import sys
read = lambda f: {k: int(v) for k, v in (l.rstrip('\n').split('\t') for l in open(f))}
before, after = read(sys.argv[1]), read(sys.argv[2])
ticks, reqs = int(sys.argv[3]), int(sys.argv[4])
used = sorted(((after[k] - before.get(k, 0), k) for k in after), reverse=True)
print('   by thread: ' + ', '.join('%s %.1f us' % (k, d / ticks / reqs * 1e6) for d, k in used if d > 0))
PY
}

# Warm the JIT on both paths first, so that the runs measure steady state (as JMH does).
WRK_THREADS=$THREADS TOKENS="$work/warm.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/tokens.lua "http://127.0.0.1:$PORT/me" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT/healthz" > /dev/null

run healthz -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$PORT/healthz"
TOKENS="$work/me.txt" run me -c"$CONNECTIONS" -d"${DURATION}s" -s bench/tokens.lua "http://127.0.0.1:$PORT/me"
peak=$(awk '/Requests\/sec/ {print $2}' "$work/me.out")
# About half the peak: each of CONNECTIONS connections waits DELAY_MS between requests.
delay=$(python3 -c "print(max(1, round($CONNECTIONS * 1000 / ($peak / 2))))")
TOKENS="$work/half.txt" DELAY_MS=$delay run me-half-peak -c"$CONNECTIONS" -d"${DURATION}s" -s bench/tokens.lua "http://127.0.0.1:$PORT/me"

echo "== raw Ed25519 verification (BouncyCastle, JMH, same run)"
java -jar signet-bench/target/benchmarks.jar "Ed25519VerifyBenchmark.bouncyCastleRawVerify" -f 1 -wi 2 -i 3 -rf json -rff "$work/raw.json" > /dev/null
python3 - "$work/raw.json" <<'PY'
import json, sys
score = json.load(open(sys.argv[1]))[0]["primaryMetric"]["score"]
print("   %.0f verifications/s = %.1f us each" % (score, 1e6 / score))
PY
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
