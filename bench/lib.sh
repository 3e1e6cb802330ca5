# Shared by load.sh and cluster-load.sh: start signet serve nodes, register a session, sign token
# pools, run wrk, and read a process's CPU time (all threads) from /proc.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ticks=$(getconf CLK_TCK)
export SIGNET_ADMIN_TOKEN=bench-admin-token-0123456789
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }

signet() { java -jar "$root/signet-cli/target/signet.jar" "$@"; }

# start_node LOG PORT [VAR=value ...]: starts signet serve in the background; prints its pid once it answers.
# SERVE_JAR picks another build (bench/load.sh's BASELINE); SERVE_ARGS adds flags (--config FILE).
start_node() {
  local log=$1 port=$2; shift 2
  env "$@" SIGNET_PORT="$port" SIGNET_HOST=127.0.0.1 java ${JAVA_OPTS:-} -jar "${SERVE_JAR:-$root/signet-cli/target/signet.jar}" serve ${SERVE_ARGS:-} > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  echo "$pid"
}

# new_keystore PORT FILE: a user and a server-made session, its keystore written to FILE.
new_keystore() {
  local uid
  uid=$(signet admin --server "http://127.0.0.1:$1" user create | sed -n 's/.*"user_id" : "\(.*\)".*/\1/p')
  signet admin --server "http://127.0.0.1:$1" session create --user "$uid" \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["keystore"]))' > "$2"
}

# tokens KEYSTORE COUNT FILE [PATH]: COUNT distinct GET tokens for PATH (default /me), one per line.
tokens() { java -cp "$root/signet-bench/target/benchmarks.jar" dev.signet.bench.TokenFile "$1" "$2" GET "${4:-/me}" > "$3"; }

# bot_keys DIR: an Ed25519 key (DIR/key.json), a bot session for it (DIR/keystore.json, random ids)
# and the keys file that lists it (DIR/keys.yml), for the Spring and Servlet integrations.
bot_keys() {
  signet keygen ed25519 --json > "$1/key.json"
  python3 - "$1" <<'PY'
import json, sys, uuid
work = sys.argv[1]
uid, sid = uuid.uuid4(), uuid.uuid4()
k = json.load(open(work + "/key.json"))
json.dump({"uid": str(uid), "session_id": str(sid), "private_key": k["private_key"]}, open(work + "/keystore.json", "w"))
open(work + "/keys.yml", "w").write("keys:\n  - {scheme: mixin-bot, user: %s, session: %s, public-key: %s, algorithm: EdDSA}\n"
                                     % (uid, sid, k["public_key"]))
PY
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# CPU ticks per thread kind (event loops, workers, GC, JIT, ...), to see where the time goes.
threads() {
  for t in /proc/$1/task/*; do
    printf '%s\t%s\n' "$(tr -d '0-9#' < "$t/comm" | sed 's/ *$//')" "$(awk '{print $14 + $15}' "$t/stat")"
  done 2>/dev/null | awk -F'\t' '{s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | sort
}

# pacing RATE [MIN_CONNECTIONS]: connections and their mean wait between requests (ms, fractional;
# bench/paced.lua and tokens.lua draw each wait around it) for about RATE requests/s: enough
# connections that each waits 2 ms or more on average. The answer's own time adds to each
# connection's cycle, so the rate reached is somewhat lower.
pacing() { python3 -c "import math; r = $1; c = max(${2:-1}, math.ceil(r * 2 / 1000)); print(c, round(c * 1000 / r, 3))"; }

# wrk_me OUT TOKENS PORT THREADS CONNECTIONS DURATION [DELAY_MS]: GET $REQUEST_PATH (default /me),
# a token per request.
wrk_me() {
  WRK_THREADS=$4 TOKENS=$2 DELAY_MS=${7:-0} REQUEST_PATH=${REQUEST_PATH:-/me} wrk -t"$4" -c"$5" -d"$6s" --latency \
    -s "$root/bench/tokens.lua" "http://127.0.0.1:$3${REQUEST_PATH:-/me}" > "$1"
}

# measure NAME PID COMMAND...: runs COMMAND (a wrk run writing $work/NAME.out) and reports PID's
# CPU per request, by thread kind and split into user and system time.
measure() {
  local name=$1 pid=$2; shift 2
  threads "$pid" > "$work/$name.tb"; local before; before=$(cpu "$pid")
  local user0 sys0 user1 sys1; read -r user0 sys0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  "$@" > "$work/$name.out"
  read -r user1 sys1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  local after; after=$(cpu "$pid"); threads "$pid" > "$work/$name.ta"
  {
    report "$name" "$work/$name.out" "$pid" "$before" "$after" "$work/$name.tb" "$work/$name.ta"
    python3 -c "n = $(awk '/requests in/ {print $1}' "$work/$name.out"); print('   user / system: %.1f / %.1f us per request' % (($user1 - $user0) / $ticks / n * 1e6, ($sys1 - $sys0) / $ticks / n * 1e6))"
  } | tee "$work/$name.report"
}

# report NAME WRK_OUT PID CPU_BEFORE CPU_AFTER [THREADS_BEFORE THREADS_AFTER]
report() {
  local reqs
  reqs=$(awk '/requests in/ {print $1}' "$2")
  echo "== $1"
  grep -E "Requests/sec|Latency   |50%|90%|99%|Non-2xx|requests in" "$2" | sed 's/^/   /'
  python3 -c "print('   server CPU per request: %.1f us' % (($5 - $4) / $ticks / $reqs * 1e6))"
  if [ -n "${6:-}" ]; then
    python3 - "$6" "$7" "$ticks" "$reqs" <<'PY'
import sys
read = lambda f: {k: int(v) for k, v in (l.rstrip('\n').split('\t') for l in open(f))}
before, after = read(sys.argv[1]), read(sys.argv[2])
ticks, reqs = int(sys.argv[3]), int(sys.argv[4])
used = sorted(((after[k] - before.get(k, 0), k) for k in after), reverse=True)
print('   by thread: ' + ', '.join('%s %.1f us' % (k, d / ticks / reqs * 1e6) for d, k in used if d > 0))
PY
  fi
}

# raw_verify JSON: the bare Ed25519 verification of one signing input by libsodium (the provider
# signet serve uses here) and by BouncyCastle (the Java fallback), JMH, written to JSON.
raw_verify() {
  echo "== raw Ed25519 verification (JMH, same run)"
  java -jar "$root/signet-bench/target/benchmarks.jar" "Ed25519VerifyBenchmark.(libsodium|bouncyCastle)RawVerify" \
    -f 1 -wi 2 -i 3 -rf json -rff "$1" > /dev/null
  python3 - "$1" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1])):
    score = b["primaryMetric"]["score"]
    print("   %s: %.0f verifications/s = %.1f us each" % (b["benchmark"].rsplit(".", 1)[1], score, 1e6 / score))
PY
  echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
}

# redis_cluster BASEPORT PRIMARIES: a Redis Cluster of PRIMARIES primaries (and REPLICAS replicas each,
# 0 unless set) on loopback from BASEPORT, its files under $work, its processes in pids.
redis_cluster() {
  local base=$1 primaries=$2 n i nodes=()
  n=$(( primaries * (1 + ${REPLICAS:-0}) ))
  for (( i = 0; i < n; i++ )); do
    local port=$(( base + i ))
    mkdir -p "$work/$port"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$work/$port/nodes.conf" \
      --cluster-node-timeout 2000 --save "" --appendonly no --dir "$work/$port" --logfile "$work/$port/log" &
    pids+=("$!")
    nodes+=("127.0.0.1:$port")
  done
  for (( i = 0; i < n; i++ )); do
    until redis-cli -p $(( base + i )) PING 2>/dev/null | grep -q PONG; do sleep 0.1; done
  done
  if [ "$n" -eq 1 ]; then
    # redis-cli --cluster create wants three primaries: one takes every slot by hand.
    redis-cli -p "$base" CLUSTER ADDSLOTSRANGE 0 16383 > /dev/null
  else
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas "${REPLICAS:-0}" --cluster-yes > "$work/create-$base.log"
  fi
  until redis-cli -p "$base" CLUSTER INFO | grep -q cluster_state:ok; do sleep 0.2; done
}
# primaries PORT: the ports of the cluster's primaries that hold slots.
primaries() { redis-cli -p "$1" CLUSTER NODES | awk '$3 ~ /master/ && NF > 8 { split($2, a, "[:@]"); print a[2] }' | sort; }
