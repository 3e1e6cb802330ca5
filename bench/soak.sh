#!/usr/bin/env bash
# Soak run of signet serve (embedded default, in-memory replay store): GET /me at peak, a distinct
# fresh token per request, for DURATION seconds (default 2 x (acceptance window + clock skew) =
# 660 s, so the replay store fills and then turns over twice), sampled every 10 s: requests/s, p99,
# non-2xx, process RSS, old generation after GC (jstat), replay store size, and the server's own
# p99 (its verification histogram); then PACED seconds (default 120) at 70% of the peak rate (wrk
# paces each connection with waits drawn around a mean, bench/tokens.lua; the mean is corrected
# after each sample for the time answers took, so the rate reached is the one asked), sampled the
# same way. Passes when no request was refused, RSS is flat after the first window (last peak
# sample within 10% of the one at the window), the server's p99 is under 2 ms in every peak sample,
# and wrk's p99 under 10 ms in every sample at 70% (at peak wrk's p99 is mostly the time requests wait for one of the
# two cores that the server, wrk and the token signer share: printed, not a criterion).
# Writes target/soak/soak.csv and, with gnuplot, target/soak/soak.png.
# Tokens are signed during the run (one signing thread, a few chunks ahead): a token signed at the
# start would be past its acceptance window before its turn. That thread shares the two cores, so
# chunks are sized to the rate measured so far (x MARGIN), and split per wrk thread so that no
# thread parses tokens it does not send.
# The first WARMUP seconds (default 30) run the same load unrecorded: the JIT must be done, as in
# JMH and load.sh, or the first samples measure compilation, not the server.
# Usage: bench/soak.sh   (DURATION, PACED, WARMUP, CONNECTIONS, THREADS, PORT, HEAP, PIN, CHUNK, MARGIN override)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-660}
PACED=${PACED:-120}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-4}   # already the peak rate here (as 8 and 16 are); more connections only lengthen the queue
THREADS=${THREADS:-1}           # one wrk thread drives that rate; a second only competes for the two cores
PORT=${PORT:-18085}
PIN=${PIN:-}          # SERVER_CPUS:LOAD_CPUS (taskset lists, e.g. 1:0): the server on some cores, wrk and the signer on others
HEAP=${HEAP:-2g}      # fixed (-Xms = -Xmx), so that RSS shows what the process keeps, not heap growth
SAMPLE=10
CHUNK=${CHUNK:-200000}   # tokens in each of the first chunks, before a rate is known
MARGIN=${MARGIN:-1.6}    # later chunks: the highest rate seen x 10 s x MARGIN (rates swing 30% between samples here); too few tokens fail requests

./mvnw -q -B -ntp install -DskipTests
out="$root/target/soak"; mkdir -p "$out"
work=$(mktemp -d)
trap 'touch "$work/chunks/stop"; kill "$pid" "${producer:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=$(JAVA_OPTS="-Xmx$HEAP -Xms$HEAP" start_node "$work/serve.log" "$PORT" SIGNET_DATA_DIR="$work/data")
if [ -n "$PIN" ]; then
  taskset -a -pc "${PIN%%:*}" "$pid" > /dev/null
  taskset -pc "${PIN##*:}" $$ > /dev/null   # this shell's children: wrk, the signer, curl, jstat
fi
new_keystore "$PORT" "$work/keystore.json"
sleep 1.1
mkdir -p "$work/chunks"
java -cp signet-bench/target/benchmarks.jar dev.signet.bench.TokenStream "$work/keystore.json" "$work/chunks" "$CHUNK" 2 /me "$THREADS" &
producer=$!

# The old generation's occupancy: what survived the collections so far (it changes only at a GC).
old_gen_bytes() { jstat -gc "$pid" | awk 'NR == 2 {printf "%.0f", $8 * 1024}'; }
# scrape FILE: /metrics once; metric NAME FILE: a metric's value (summed over its labels) from it.
scrape() { curl -s "http://127.0.0.1:$PORT/metrics" > "$1"; }
metric() { awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%.0f", s}' "$2"; }
# The verification timer's histogram (cumulative buckets) in the scrapes before and after a sample:
# their differences give the p99 of the server's own work on the requests of that sample (as the
# upper bound of its bucket, ~10-15% wide), beside wrk's p99, which adds the queue and whatever
# time the server's threads waited for a core.
echo "t_s,requests_per_s,p99_ms,non_2xx,rss_mb,old_gen_mb,replay_entries,server_p99_ms,load" > "$out/soak.csv"
next_chunk=0
peak_rps=0
conns=$CONNECTIONS   # the paced phase sets these two
delay=0
load=peak
# run_chunk OUT: one SAMPLE-second wrk run on the next chunk of fresh tokens. From the last warm-up
# sample on (the JIT is done by then), later chunks are sized from the highest rate of answered
# requests seen; the count is written before the chunk is released, so the next one signed uses it.
run_chunk() {
  local chunk="$work/chunks/chunk-$next_chunk.txt"
  while [ ! -f "$chunk" ]; do sleep 0.05; done
  wrk_me "$1" "$chunk" "$PORT" "$THREADS" "$conns" "$SAMPLE" "$delay"
  if [ "${2:-}" != warm ] && [ "$load" = peak ]; then
    peak_rps=$(awk -v p="$peak_rps" -v s="$SAMPLE" '/requests in/ {n = $1} /Non-2xx/ {n -= $5}
      END {r = n / s; print (r > p ? r : p)}' "$1")
    awk -v r="$peak_rps" -v s="$SAMPLE" -v m="$MARGIN" 'BEGIN {printf "%d\n", r * s * m}' > "$work/chunks/count.tmp"
    mv "$work/chunks/count.tmp" "$work/chunks/count"
  elif [ "$load" != peak ]; then
    # A connection's cycle is its wait plus the answer's time: keep that time, change the wait.
    delay=$(awk -v d="$delay" -v c="$conns" -v t="$target" -v s="$SAMPLE" '/requests in/ {n = $1}
      END {w = c * 1000 / t - (c * 1000 / (n / s) - d); printf "%.3f", (w > 0 ? w : 0)}' "$1")
  fi
  rm -f "$chunk" "$chunk".*
  next_chunk=$(( next_chunk + 1 ))
}
warmups=$(( WARMUP / SAMPLE ))
for w in $(seq 1 "$warmups"); do run_chunk "$work/warmup.out" $([ "$w" -lt "$warmups" ] && echo warm); done
samples=$(( DURATION / SAMPLE ))
paced=$(( PACED / SAMPLE ))
scrape "$work/metrics.before"
for i in $(seq 0 $(( samples + paced - 1 ))); do
  if [ "$i" = "$samples" ]; then
    load=70%
    target=$(python3 -c "print($peak_rps * 0.7)")
    read -r conns delay < <(pacing "$target" "$CONNECTIONS")
    # Fewer tokens signed: the signer shares the cores with the server.
    awk -v r="$target" -v s="$SAMPLE" -v m="$MARGIN" 'BEGIN {printf "%d\n", r * s * m}' > "$work/chunks/count.tmp"
    mv "$work/chunks/count.tmp" "$work/chunks/count"
    echo "== 70% of the peak: ${target%.*}/s asked, $conns connections, each waiting $delay ms on average at first"
  fi
  run_chunk "$work/sample.out"
  scrape "$work/metrics.after"
  python3 - "$work/sample.out" "$(( (i + 1) * SAMPLE ))" "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" \
    "$(old_gen_bytes)" "$(metric signet_replay_entries "$work/metrics.after")" "$work/metrics.before" "$work/metrics.after" "$load" \
    >> "$out/soak.csv" <<'PY'
import re, sys
def buckets(path):
    out = {}
    for line in open(path):
        if not line.startswith("signet_verification_seconds_bucket{"):
            continue
        le = float(re.search(r'le="([^"]+)"', line).group(1))
        out[le] = out.get(le, 0) + float(line.rsplit(" ", 1)[1])
    return out
before, after = buckets(sys.argv[6]), buckets(sys.argv[7])
delta = sorted((le, after[le] - before.get(le, 0)) for le in after)
total = delta[-1][1] if delta else 0
server_p99 = next((le * 1000 for le, n in delta if total and n >= 0.99 * total), float("nan"))
text = open(sys.argv[1]).read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups())
non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
errors = re.search(r"Socket errors: (.*)", text)
if errors: non2xx += sum(int(x) for x in re.findall(r"\d+", errors.group(1)))
print("%s,%.0f,%.2f,%d,%.0f,%.0f,%s,%.2f,%s" % (sys.argv[2], rps, p99, non2xx, int(sys.argv[3]) / 1024, int(sys.argv[4]) / 2**20,
                                              sys.argv[5], server_p99, sys.argv[8]))
PY
  mv "$work/metrics.after" "$work/metrics.before"
  tail -1 "$out/soak.csv"
done
python3 - "$out/soak.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
peak = [r for r in rows if r["load"] == "peak"]
paced = [r for r in rows if r["load"] != "peak"]
window = next((i for i, r in enumerate(peak) if float(r["t_s"]) >= 330), len(peak) - 1)
refused = sum(int(r["non_2xx"]) for r in rows)
rss_w, rss_end = float(peak[window]["rss_mb"]), float(peak[-1]["rss_mb"])
flat = rss_end <= rss_w * 1.10
total = sum(float(r["requests_per_s"]) * 10 for r in peak)
server_p99 = max(float(r["server_p99_ms"]) for r in peak)
paced_p99 = max((float(r["p99_ms"]) for r in paced), default=float("nan"))
print("== soak at peak: %d s, ~%.0f requests, %.0f/s mean; refused %d (whole run); RSS %.0f MB at %s s, %.0f MB at the end (%s)"
      % (float(peak[-1]["t_s"]), total, total / float(peak[-1]["t_s"]), refused, rss_w, peak[window]["t_s"], rss_end,
         "flat" if flat else "GREW"))
print("== server p99 at peak: max %.2f ms over %d samples (target < 2 ms in every one); wrk p99 at peak %.1f-%.1f ms"
      % (server_p99, len(peak), min(float(r["p99_ms"]) for r in peak), max(float(r["p99_ms"]) for r in peak)))
if paced:
    print("== at 70%% of the peak: %.0f/s mean; wrk p99 max %.2f ms over %d samples (target < 10 ms in every one)"
          % (sum(float(r["requests_per_s"]) for r in paced) / len(paced), paced_p99, len(paced)))
ok = refused == 0 and flat and server_p99 < 2 and (not paced or paced_p99 < 10)
print("== PASS" if ok else "== FAIL")
PY
if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$out/soak.csv'; png='$out/soak.png'" bench/plots/soak.gp && echo "plot: $out/soak.png"
fi
