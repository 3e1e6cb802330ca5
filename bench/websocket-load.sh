#!/usr/bin/env bash
# WebSocket routes under load (not part of the tests): CONNECTIONS connections (default 10000) held
# open through signet serve's route / to a Vert.x echo upstream on loopback, then message round
# trips; the same client then talks to the upstream directly. Prints, from the same run: signet's
# RSS per held connection (both of its sockets), verified upgrades per second, and relayed round
# trips per second against direct ones.
#   bench/websocket-load.sh [CONNECTIONS] [SECONDS]
# Needs ./mvnw -B -ntp -DskipTests package first (signet.jar and benchmarks.jar).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
connections=${1:-10000}
seconds=${2:-20}
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((2 * connections + 500)) ]; then
  echo "note: open files are limited to $(ulimit -n) here (signet holds two sockets per connection): some upgrades will be 502" >&2
fi
# On one machine the load tools would take the cores signet needs (and a relayed round trip is twice
# the loopback TCP work of a direct one): signet gets the last core, the client and the upstream the
# others, in both runs, as if they were on other machines. PIN=0 shares every core instead.
cores=$(nproc)
if [ "${PIN:-1}" = 1 ] && [ "$cores" -ge 2 ]; then
  signet_cpus=$((cores - 1)); tool_cpus="0-$((cores - 2))"
else
  signet_cpus="0-$((cores - 1))"; tool_cpus=$signet_cpus
fi
work=$(mktemp -d)
bench() { exec taskset -c "$tool_cpus" java -cp "$root/signet-bench/target/benchmarks.jar" dev.signet.bench.WebSocketLoad "$@"; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

(bench upstream > "$work/upstream.port") &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/upstream.port" ] && break; sleep 0.1; done
up=$(cat "$work/upstream.port")
cat > "$work/signet.yaml" <<YAML
routes:
  - {prefix: /, upstream: "ws://127.0.0.1:$up", websocket: true}
YAML
port=18090
# A bounded heap and replay store, so that RSS grows with the connections, not with the heap's sizing.
pid=$(JAVA_OPTS="-Xmx1g" SERVE_ARGS="--config $work/signet.yaml" start_node "$work/serve.log" "$port" SIGNET_DATA_DIR="$work/data" SIGNET_REPLAY_CAPACITY=1000000)
pids+=("$pid")
taskset -a -p -c "$signet_cpus" "$pid" >/dev/null
new_keystore "$port" "$work/ks.json"
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# Java heap in use after a full GC, KiB (run first, so that both RSS readings come after a full GC).
heap() { jcmd "$1" GC.run >/dev/null; jcmd "$1" GC.heap_info | awk '/garbage-first heap/ {sub("K","",$(NF-2)); print $(NF-2)}'; }

# run_client NAME URL KEYSTORE [SECONDS]: the client holds its connections until its stdin (a fifo) closes.
run_client() {
  local name=$1; mkfifo "$work/$name.in"
  (bench client "$2" "$3" "$connections" "${4:-$seconds}" < "$work/$name.in" > "$work/$name.out" 2>&1) &
  local cpid=$!; exec 7> "$work/$name.in"
  # CPU ticks of signet, the upstream and the client over the round-trip phase: where the time goes.
  for _ in $(seq 1 12000); do grep -q "upgrades/s" "$work/$name.out" && break; sleep 0.05; done
  local before; before="$(cpu "$pid") $(cpu "${pids[0]}") $(cpu "$(pgrep -P "$cpid" java || echo "$cpid")")"
  for _ in $(seq 1 12000); do grep -q "round trips/s" "$work/$name.out" && break; sleep 0.05; done
  echo "$before $(cpu "$pid") $(cpu "${pids[0]}") $(cpu "$(pgrep -P "$cpid" java || echo "$cpid")")" > "$work/$name.cpu"
  for _ in $(seq 1 1200); do grep -q holding "$work/$name.out" && break; sleep 0.5; done
  if [ "$name" = signet ]; then
    sleep 2; heap "$pid" > "$work/heap.held"; rss "$pid" > "$work/rss.held"
    # HISTOGRAM=FILE keeps the held state's heap histogram (where a connection's memory goes).
    if [ -n "${HISTOGRAM:-}" ]; then jcmd "$pid" GC.class_histogram > "$HISTOGRAM"; fi
  fi
  exec 7>&-; wait "$cpid" || true
  cat "$work/$name.out"
}

# A first round of the same connections, closed again: the heap has grown to what the handshakes'
# garbage needs before "idle" is read, so the difference is what the held connections keep.
echo "== warm-up: $connections connections through signet serve, then closed"
run_client warmup "ws://127.0.0.1:$port/" "$work/ks.json" 2 > "$work/warmup.log"; head -1 "$work/warmup.log"
sleep 5; heap "$pid" > "$work/heap.idle"; rss "$pid" > "$work/rss.idle"
echo "== through signet serve ($connections connections)"
run_client signet "ws://127.0.0.1:$port/" "$work/ks.json"
echo "== directly to the upstream"
run_client direct "ws://127.0.0.1:$up/" -
grep -h "WARN" "$work/serve.log" | sed 's/^/signet: /' | sort | uniq -c | sort -rn | head -5 || true
python3 - "$work" "$connections" "$ticks" "$seconds" <<'PY'
import re, sys
work, n = sys.argv[1], int(sys.argv[2])
idle = int(open(f"{work}/rss.idle").read()); held = int(open(f"{work}/rss.held").read())
hidle = int(open(f"{work}/heap.idle").read()); hheld = int(open(f"{work}/heap.held").read())
def trips(name):
    return float(re.search(r"round trips/s (\d+)", open(f"{work}/{name}.out").read()).group(1))
s, d = trips("signet"), trips("direct")
n = int(re.search(r"connections (\d+) open", open(f"{work}/signet.out").read()).group(1))
print(f"signet RSS: {idle} KiB idle, {held} KiB holding {n} connections: {(held - idle) / n:.1f} KiB per connection (target <= 24)")
print(f"signet Java heap in use after a full GC: {(hheld - hidle) / n:.1f} KiB per connection (part of the RSS above)")
print(f"round trips/s: {s:.0f} through signet, {d:.0f} direct: {s / d:.2f}x (target >= 0.7x)")
ticks = int(sys.argv[3]); seconds = int(sys.argv[4])
for name, rate in (("signet", s), ("direct", d)):
    c = [int(x) for x in open(f"{work}/{name}.cpu").read().split()]
    us = [(c[i + 3] - c[i]) / ticks / (rate * seconds) * 1e6 for i in range(3)]
    where = "through signet" if name == "signet" else "direct"
    print(f"CPU per round trip, {where}: signet {us[0]:.1f} us, upstream {us[1]:.1f} us, client {us[2]:.1f} us")
PY
