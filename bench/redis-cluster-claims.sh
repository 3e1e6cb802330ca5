#!/usr/bin/env bash
# Redis Cluster's side of a replay claim, measured directly: the claim script every Signet client
# runs (printed by dev.signet.bench.RedisScriptBody) called by redis-benchmark in cluster mode, a
# fresh mark per call, the epoch key and the mark hash-tagged to one slot as Signet tags them, on a
# cluster of one primary and then of three, in one run. Reports claims/s, each shard's share, and
# Redis CPU per claim per shard; then EVALSHA against EVAL (the body sent and hashed per call) on one
# primary. signet serve nodes cannot load a Redis on these two cores (each verifies ~8k tokens/s
# per core, a primary claims ~68k/s), so the load comes from redis-benchmark, pipelined as a node's
# event loop pipelines its claims.
# Three primaries on two cores cannot each have a core, so the comparison is also made with every
# primary held to the same CPU share (CAP percent of a core, by a cgroup's CPU quota), as if each
# shard had a machine of its own: then three primaries can take three times the claims of one.
# Usage: bench/redis-cluster-claims.sh   (REQUESTS, CLIENTS, PIPELINE, THREADS, REPLICAS, CAP override;
# CAP=0 skips the capped runs)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
REQUESTS=${REQUESTS:-3000000}
CLIENTS=${CLIENTS:-48}
PIPELINE=${PIPELINE:-16}
THREADS=${THREADS:-2}
export REPLICAS=${REPLICAS:-0}
CAP=${CAP:-30}
command -v redis-benchmark > /dev/null || { echo "redis-benchmark is missing (Debian's redis-tools)" >&2; exit 1; }

[ -f signet-bench/target/benchmarks.jar ] || ./mvnw -q -B -ntp install -DskipTests
body=$(java -cp signet-bench/target/benchmarks.jar dev.signet.bench.RedisScriptBody CLAIM)
sha=$(printf '%s' "$body" | sha1sum | cut -d' ' -f1)
work=$(mktemp -d)
pids=()
cgroups=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for g in "${cgroups[@]}"; do rmdir "$g" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# cap PORT PERCENT: holds the Redis on PORT to PERCENT of one core (cgroup v2 cpu.max, or v1's CFS quota);
# 0: no cap. Fails where no CPU controller can be written.
cap() {
  local pid g quota
  pid=$(server_pid "$1")
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    g=/sys/fs/cgroup/signet-bench-$1
    mkdir -p "$g" && cgroups+=("$g")
    if [ "$2" -eq 0 ]; then quota=max; else quota=$(( $2 * 1000 )); fi
    echo "$quota 100000" > "$g/cpu.max"
  else
    g=/sys/fs/cgroup/cpu/signet-bench-$1
    mkdir -p "$g" && cgroups+=("$g")
    echo 100000 > "$g/cpu.cfs_period_us"
    if [ "$2" -eq 0 ]; then echo -1 > "$g/cpu.cfs_quota_us"; else echo $(( $2 * 1000 )) > "$g/cpu.cfs_quota_us"; fi
  fi
  echo "$pid" > "$g/cgroup.procs"
}
capped() {
  local p
  for p in $(primaries "$1"); do cap "$p" "$2"; done
}
server_pid() { redis-cli -p "$1" INFO server | awk -F: '/^process_id/ {print $2}' | tr -d '\r'; }
calls() { redis-cli -p "$1" INFO commandstats | awk -F'[=,:]' -v c="cmdstat_$2" '$1 == c {print $3}' | tr -d '\r' | grep . || echo 0; }

# run NAME BASEPORT COMMAND [CAP]: loads the cluster with the claim for REQUESTS calls and reports it.
run() {
  local name=$1 base=$2 command=$3 p before=() after=() cb=() ca=() start end i total=0
  local ports; mapfile -t ports < <(primaries "$base")
  for p in "${ports[@]}"; do redis-cli -p "$p" SCRIPT LOAD "$body" > /dev/null; done
  for i in "${!ports[@]}"; do before[$i]=$(cpu "$(server_pid "${ports[$i]}")"); cb[$i]=$(calls "${ports[$i]}" "$command"); done
  start=$(date +%s.%N)
  local script=("$sha"); [ "$command" = eval ] && script=("$body")
  # redis-benchmark's cluster mode wants two primaries at least; one primary owns every slot, {tag} included.
  local mode=(--cluster); [ "${#ports[@]}" -eq 1 ] && mode=()
  redis-benchmark "${mode[@]}" -h 127.0.0.1 -p "$base" -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" --threads "$THREADS" \
    -r 1000000000 -q "${command^^}" "${script[@]}" 2 "bench:{tag}epoch" "bench:{tag}__rand_int__" 9999999999999 10000 0 \
    > "$work/$name.out" 2>&1
  end=$(date +%s.%N)
  for i in "${!ports[@]}"; do after[$i]=$(cpu "$(server_pid "${ports[$i]}")"); ca[$i]=$(calls "${ports[$i]}" "$command"); done
  for i in "${!ports[@]}"; do total=$(( total + ca[i] - cb[i] )); done
  echo "== $name: ${#ports[@]} primaries, $command, $REQUESTS calls ($CLIENTS clients, pipeline $PIPELINE, $THREADS benchmark threads)${4:+, each primary held to $4% of a core}"
  python3 -c "print('   claims/s: %.0f' % ($total / ($end - $start)))"
  for i in "${!ports[@]}"; do
    python3 -c "n = ${ca[$i]} - ${cb[$i]}; print('   shard %s: %d claims (%.1f%%), redis CPU %.2f us per claim, busy %.0f%%' % ('${ports[$i]}', n, 100.0 * n / $total, (${after[$i]} - ${before[$i]}) / $ticks / n * 1e6, 100.0 * (${after[$i]} - ${before[$i]}) / $ticks / ($end - $start)))"
  done
  python3 -c "print('   redis CPU per claim, all shards: %.2f us' % (($(IFS=+; echo "${after[*]}") - ($(IFS=+; echo "${before[*]}"))) / $ticks / $total * 1e6))"
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(redis-server --version | cut -d' ' -f3)"
redis_cluster 17000 1
redis_cluster 17100 3
run one-primary 17000 evalsha | tee "$work/one.report"
run three-primaries 17100 evalsha | tee "$work/three.report"
run one-primary-eval 17000 eval | tee "$work/eval.report"
if [ "$CAP" -gt 0 ]; then
  if capped 17000 "$CAP" 2>/dev/null && capped 17100 "$CAP" 2>/dev/null; then
    run one-primary-capped 17000 evalsha "$CAP" | tee "$work/one-capped.report"
    run three-primaries-capped 17100 evalsha "$CAP" | tee "$work/three-capped.report"
  else
    echo "== no CPU controller to write here (cgroups): the capped runs are skipped"
  fi
fi
python3 - "$work" <<'PY'
import os, re, sys
w = sys.argv[1]
rate = lambda f: float(re.search(r"claims/s: (\d+)", open(w + f).read()).group(1))
cpu = lambda f: float(re.search(r"all shards: ([\d.]+)", open(w + f).read()).group(1))
print("== same run: three primaries / one: %.2fx the claims/s, %.2fx the redis CPU per claim" % (rate("/three.report") / rate("/one.report"), cpu("/three.report") / cpu("/one.report")))
if os.path.exists(w + "/three-capped.report"):
    print("== same run, each primary held to the same CPU share: three / one: %.2fx the claims/s, %.2fx the redis CPU per claim" % (rate("/three-capped.report") / rate("/one-capped.report"), cpu("/three-capped.report") / cpu("/one-capped.report")))
print("== same run: EVALSHA / EVAL, redis CPU per claim on one primary: %.2fx (%.2f us / %.2f us)" % (cpu("/one.report") / cpu("/eval.report"), cpu("/one.report"), cpu("/eval.report")))
PY
