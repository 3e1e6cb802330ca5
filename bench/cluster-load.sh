#!/usr/bin/env bash
# Load benchmark of signet serve as several nodes: the embedded node alone, then one node on Redis
# and PostgreSQL alone, then two such nodes at once (each with its own wrk), all in one run, each
# with verified requests/s and the node's CPU time per verified request. Needs wrk, and Redis and
# PostgreSQL on loopback (as .ci/run starts them). The nodes share a fresh schema and key prefix.
# Then one clustered node again with two rate limits (per user and per session, never reached),
# counted in the replay claim's script call: Redis CPU per request with and without them.
# With BASELINE=<git revision>, that revision's clustered node is measured first, the same way, and
# Redis's CPU per request is compared (EVALSHA against the EVAL before it, for one).
# Then one node on a Redis Cluster of three primaries (replay.type redis-cluster), and Redis
# Cluster's side of a claim measured directly, one primary against three, EVALSHA against EVAL
# (bench/redis-cluster-claims.sh).
# Usage: bench/cluster-load.sh   (DURATION, WARMUP, CONNECTIONS, BASELINE override the defaults;
# ONLY=limits runs just the clustered node without and with rate limits; ONLY=redis-cluster just
# the Redis Cluster parts)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
# Tokens signed per second of load: more than a node verifies, or wrk runs out and replays them (401s).
TOKENS_PER_S=${TOKENS_PER_S:-30000}
CONNECTIONS=${CONNECTIONS:-16}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
schema="signet_bench_$$"

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null || true
  [ -d "$work/baseline" ] && git worktree remove --force "$work/baseline" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cluster_env=(SIGNET_STORE_TYPE=postgres SIGNET_STORE_URL="$PG_URL" SIGNET_STORE_USER=postgres SIGNET_STORE_SCHEMA="$schema"
  SIGNET_REPLAY_TYPE=redis SIGNET_REPLAY_URL="$REDIS_URL" SIGNET_REPLAY_PREFIX="$schema:")

# phase NAME PORT...: warms, then loads every given node at once (one wrk thread each, CONNECTIONS
# connections each) and reports each node.
phase() {
  local name=$1; shift
  local ports=("$@") port i
  for port in "${ports[@]}"; do
    new_keystore "$port" "$work/ks-$port.json"
  done
  sleep 1.1
  for port in "${ports[@]}"; do
    tokens "$work/ks-$port.json" $(( WARMUP * TOKENS_PER_S )) "$work/warm-$port.txt"
    tokens "$work/ks-$port.json" $(( DURATION * TOKENS_PER_S )) "$work/me-$port.txt"
  done
  for port in "${ports[@]}"; do wrk_me /dev/null "$work/warm-$port.txt" "$port" 1 "$CONNECTIONS" "$WARMUP" & done
  wait_wrk
  local before=() after=() services_before services_after redis_before redis_after
  services_before=$(services_cpu); redis_before=$(redis_cpu)
  for i in "${!ports[@]}"; do
    before[$i]=$(cpu "${node_pid[${ports[$i]}]}"); threads "${node_pid[${ports[$i]}]}" > "$work/threads-before-${ports[$i]}"
  done
  for port in "${ports[@]}"; do wrk_me "$work/$name-$port.out" "$work/me-$port.txt" "$port" 1 "$CONNECTIONS" "$DURATION" & done
  wait_wrk
  for i in "${!ports[@]}"; do
    after[$i]=$(cpu "${node_pid[${ports[$i]}]}"); threads "${node_pid[${ports[$i]}]}" > "$work/threads-after-${ports[$i]}"
  done
  services_after=$(services_cpu); redis_after=$(redis_cpu)
  for i in "${!ports[@]}"; do
    port=${ports[$i]}
    report "$name: node on port $port" "$work/$name-$port.out" "${node_pid[$port]}" "${before[$i]}" "${after[$i]}" \
      "$work/threads-before-$port" "$work/threads-after-$port"
  done
  local total=0
  for port in "${ports[@]}"; do total=$(( total + $(awk '/requests in/ {print $1}' "$work/$name-$port.out") )); done
  python3 -c "print('   redis-server + postgres CPU per request (all nodes): %.1f us' % (($services_after - $services_before) / $ticks / $total * 1e6))"
  python3 -c "print('   redis-server CPU per request (all nodes): %.1f us' % (($redis_after - $redis_before) / $ticks / $total * 1e6))"
}
# CPU ticks of every redis-server and postgres process (the shared services), and of Redis alone.
services_cpu() { sum_cpu $(pgrep -x redis-server) $(pgrep -x postgres); }
redis_cpu() { sum_cpu $(pgrep -x redis-server); }
sum_cpu() {
  local sum=0 p
  for p in "$@"; do sum=$(( sum + $(cpu "$p" 2>/dev/null || echo 0) )); done
  echo "$sum"
}
# warm PORT: warms one node alone for WARMUP seconds, as the first clustered node was warmed by its
# own phase, so that the second node is not still compiling (JIT) when both are measured.
warm() {
  new_keystore "$1" "$work/ks-alone-$1.json"
  sleep 1.1
  tokens "$work/ks-alone-$1.json" $(( WARMUP * TOKENS_PER_S )) "$work/warm-alone-$1.txt"
  wrk_me /dev/null "$work/warm-alone-$1.txt" "$1" 1 "$CONNECTIONS" "$WARMUP"
}
wait_wrk() { while pgrep -x wrk >/dev/null; do sleep 0.2; done; }

declare -A node_pid
if [ -n "${BASELINE:-}" ]; then
  git worktree add --detach "$work/baseline" "$BASELINE" > /dev/null
  (cd "$work/baseline" && ./mvnw -q -B -ntp package -DskipTests -pl signet-cli -am)
  node_pid[18085]=$(SERVE_JAR="$work/baseline/signet-cli/target/signet.jar" start_node "$work/baseline.log" 18085 \
    SIGNET_DATA_DIR="$work/baseline-data" "${cluster_env[@]}"); pids+=("${node_pid[18085]}")
  phase "baseline-$BASELINE" 18085 | tee "$work/baseline.report"
  kill "${node_pid[18085]}"; wait "${node_pid[18085]}" 2>/dev/null || true
fi
if [ -z "${ONLY:-}" ]; then
  node_pid[18081]=$(start_node "$work/embedded.log" 18081 SIGNET_DATA_DIR="$work/embedded"); pids+=("${node_pid[18081]}")
  phase embedded 18081
  kill "${node_pid[18081]}"; wait "${node_pid[18081]}" 2>/dev/null || true
fi

if [ "${ONLY:-}" != redis-cluster ]; then
node_pid[18082]=$(start_node "$work/a.log" 18082 SIGNET_DATA_DIR="$work/a" "${cluster_env[@]}"); pids+=("${node_pid[18082]}")
phase one-clustered-node 18082 | tee "$work/this.report"
fi
if [ -n "${BASELINE:-}" ]; then
  python3 - "$work" "$BASELINE" <<'PY'
import re, sys
work, baseline = sys.argv[1:]
redis = lambda f: float(re.search(r"redis-server CPU per request \(all nodes\): ([\d.]+)", open(f).read()).group(1))
b, t = redis(work + "/baseline.report"), redis(work + "/this.report")
print("== same run: redis-server CPU per request, this checkout / %s: %.2fx (%.1f us / %.1f us)" % (baseline, t / b, t, b))
PY
fi
if [ -z "${ONLY:-}" ]; then
  node_pid[18083]=$(start_node "$work/b.log" 18083 SIGNET_DATA_DIR="$work/b" "${cluster_env[@]}"); pids+=("${node_pid[18083]}")
  warm 18083
  phase two-clustered-nodes 18082 18083
  kill "${node_pid[18083]}"; wait "${node_pid[18083]}" 2>/dev/null || true
fi
[ "${ONLY:-}" = redis-cluster ] || { kill "${node_pid[18082]}"; wait "${node_pid[18082]}" 2>/dev/null || true; }

# One node on a Redis Cluster of three primaries: the same claims, each on its slot's primary.
if [ -z "${ONLY:-}" ] || [ "${ONLY:-}" = redis-cluster ]; then
  redis_cluster 17200 3
  node_pid[18086]=$(start_node "$work/rc.log" 18086 SIGNET_DATA_DIR="$work/rc" "${cluster_env[@]}" SIGNET_REPLAY_TYPE=redis-cluster \
    SIGNET_REPLAY_URL= SIGNET_REPLAY_NODES=127.0.0.1:17200,127.0.0.1:17201,127.0.0.1:17202); pids+=("${node_pid[18086]}")
  phase one-node-on-redis-cluster 18086
  for port in 17200 17201 17202; do
    echo "   shard $port: $(redis-cli -p "$port" DBSIZE) keys (marks and its slots' epoch keys)"
  done
  kill "${node_pid[18086]}"; wait "${node_pid[18086]}" 2>/dev/null || true
fi
[ "${ONLY:-}" = redis-cluster ] && { "$root/bench/redis-cluster-claims.sh"; exit 0; }

# The same clustered node with two rate limits that every request is counted against (and none
# refuses): GCRA for both in the claim's own script call.
node_pid[18084]=$(start_node "$work/limits.log" 18084 SIGNET_DATA_DIR="$work/limits" "${cluster_env[@]}" \
  SIGNET_RATE_LIMITS=per-user:user:1000000/1,per-session:session:1000000/1); pids+=("${node_pid[18084]}")
phase one-clustered-node-with-rate-limits 18084
[ "${ONLY:-}" = limits ] || { raw_verify "$work/raw.json"; "$root/bench/redis-cluster-claims.sh"; }
