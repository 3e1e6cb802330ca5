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
work=$(mktemp -d)
bench() { exec java -cp "$root/signet-bench/target/benchmarks.jar" dev.signet.bench.WebSocketLoad "$@"; }
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
new_keystore "$port" "$work/ks.json"
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# Java heap in use after a full GC, KiB: the part of a connection's memory RSS may already hold.
heap() { jcmd "$1" GC.run >/dev/null; jcmd "$1" GC.heap_info | awk '/garbage-first heap/ {sub("K","",$(NF-2)); print $(NF-2)}'; }

# run_client NAME URL KEYSTORE: the client holds its connections until its stdin (a fifo) closes.
run_client() {
  local name=$1; mkfifo "$work/$name.in"
  (bench client "$2" "$3" "$connections" "$seconds" < "$work/$name.in" > "$work/$name.out" 2>&1) &
  local cpid=$!; exec 7> "$work/$name.in"
  for _ in $(seq 1 1200); do grep -q holding "$work/$name.out" && break; sleep 0.5; done
  if [ "$name" = signet ]; then
    sleep 2; rss "$pid" > "$work/rss.held"; heap "$pid" > "$work/heap.held"
  fi
  exec 7>&-; wait "$cpid" || true
  cat "$work/$name.out"
}

sleep 2; rss "$pid" > "$work/rss.idle"; heap "$pid" > "$work/heap.idle"
echo "== through signet serve ($connections connections)"
run_client signet "ws://127.0.0.1:$port/" "$work/ks.json"
echo "== directly to the upstream"
run_client direct "ws://127.0.0.1:$up/" -
python3 - "$work" "$connections" <<'PY'
import re, sys
work, n = sys.argv[1], int(sys.argv[2])
idle = int(open(f"{work}/rss.idle").read()); held = int(open(f"{work}/rss.held").read())
hidle = int(open(f"{work}/heap.idle").read()); hheld = int(open(f"{work}/heap.held").read())
def trips(name):
    return float(re.search(r"round trips/s (\d+)", open(f"{work}/{name}.out").read()).group(1))
s, d = trips("signet"), trips("direct")
print(f"signet RSS: {idle} KiB idle, {held} KiB holding {n} connections: {(held - idle) / n:.1f} KiB per connection (target <= 24)")
print(f"signet Java heap in use after a full GC: {(hheld - hidle) / n:.1f} KiB per connection (part of the RSS above)")
print(f"round trips/s: {s:.0f} through signet, {d:.0f} direct: {s / d:.2f}x (target >= 0.7x)")
PY
