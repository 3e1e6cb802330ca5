#!/usr/bin/env bash
# Signet against the peers a Spring user would pick instead, in one run, with the same tokens on the
# same machine:
#  1. signet serve, GET /me;
#  2. the Spring Boot example with Spring Security's own OAuth 2.0 resource server
#     (PeerResourceServer: Nimbus, the key configured as users do; signature, exp and iat, no request
#     binding, no single use), GET /rs/eddsa/whoami or /rs/rs256/whoami;
#  3. the same application with the Signet starter (request binding and single use), GET /whoami;
#  4. the same application's unverified GET /healthz (the framework's floor).
# For a bot-shaped EdDSA token per request (seed 000) and a seed 002 RS256 service token per request,
# each target: requests/s and server CPU per request (all its threads) at its peak (closed loop),
# p99 at half of that peak (each connection paced), and its resident memory after the runs.
# Writes target/peers/peers.csv and, with gnuplot, target/peers/peers.png; prints the issue's ratios.
# Needs wrk. Usage: bench/peers.sh   (DURATION, WARMUP, CONNECTIONS, THREADS override the defaults)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
# Tokens signed per second of load, per kind: more than a target verifies, or wrk runs out and replays them.
EDDSA_PER_S=${EDDSA_PER_S:-30000}
RS256_PER_S=${RS256_PER_S:-32000}
SERVE_PORT=18111 APP_PORT=18112
AUDIENCE=peers-bench
out=$root/target/peers

[ -n "${NO_BUILD:-}" ] || ./mvnw -q -B -ntp install -DskipTests   # NO_BUILD=1: the jars already built
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$out"

# --- signet serve, its bot session (a key the server made) and a service issuer's RSA key
serve=$(start_node "$work/serve.log" "$SERVE_PORT" SIGNET_DATA_DIR="$work/serve-data" SIGNET_VERIFICATION_AUDIENCE="$AUDIENCE" \
  SIGNET_VERIFICATION_ACCEPTANCE_WINDOW=3600)
pids+=("$serve")
admin() { signet admin --server "http://127.0.0.1:$SERVE_PORT" "$@"; }
signet keygen ed25519 --json > "$work/ed25519.json"
uid=$(admin user create | python3 -c 'import json,sys; print(json.load(sys.stdin)["user_id"])')
admin session create --user "$uid" --public-key "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' "$work/ed25519.json")" \
  | python3 -c 'import json,sys; d = json.load(sys.stdin); k = json.load(open(sys.argv[1]))
json.dump({"uid": sys.argv[2], "session_id": d["session_id"], "private_key": k["private_key"]}, open(sys.argv[3], "w"))' \
  "$work/ed25519.json" "$uid" "$work/keystore.json"
signet keygen rsa --out "$work/svc" > /dev/null
signet admin --server "http://127.0.0.1:$SERVE_PORT" service-key create --issuer svc-bench --kid k1 --public-key "@$work/svc.pub" > /dev/null

# --- the Spring application: the same keys for the starter (keys file) and for the resource server
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
ks = json.load(open(work + "/keystore.json"))
public = json.load(open(work + "/ed25519.json"))["public_key"]
open(work + "/eddsa.pub", "w").write(public)
pem = open(work + "/svc.pub").read().strip().replace("\n", "\n      ")
open(work + "/keys.yml", "w").write(
    "keys:\n  - {scheme: mixin-bot, user: %s, session: %s, public-key: %s, algorithm: EdDSA}\n"
    "  - scheme: service\n    issuer: svc-bench\n    kid: k1\n    algorithm: RS256\n    public-key: |\n      %s\n"
    % (ks["uid"], ks["session_id"], public, pem))
PY
SIGNET_KEYS_FILE="$work/keys.yml" SERVER_PORT=$APP_PORT SIGNET_REPLAY_CAPACITY=8000000 SIGNET_AUDIENCE=$AUDIENCE SIGNET_ACCEPTANCE_WINDOW=60m PEER_IAT_SKEW=60m \
  PEER_EDDSA_PUBLIC_KEY="$(cat "$work/eddsa.pub")" PEER_RS256_PUBLIC_KEY="$work/svc.pub" \
  java ${JAVA_OPTS:-} -jar examples/spring-boot/target/signet-example-spring-boot.jar > "$work/app.log" 2>&1 &
app=$!
pids+=("$app")
for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" && break; sleep 0.2; done

# --- tokens, a file per run (warm-up, peak, half peak). EdDSA ones are signed just before each
# target's runs (a bot token expires 5 minutes after it is issued), for the path they go to (signet
# serve and the starter check it). RS256 signing is slow (~3,000/s on two cores against ~30,000
# verifications/s), and service tokens carry no request: one set, signed once (valid 30 minutes), goes
# to every target, each of which keeps its own replay store; every target accepts tokens for an hour
# after their iat here (Signet's acceptance window, Spring's iat skew), so that the set lasts the run.
sleep 1.1  # issued after the second the server's replay store began in
# sign KIND PATH FILE COUNT
sign() {
  if [ "$1" = eddsa ]; then
    tokens "$work/keystore.json" "$4" "$3" "$2"
  else
    [ -s "$3" ] || java -cp signet-bench/target/benchmarks.jar dev.signet.bench.ServiceTokenFile "$work/svc.key" svc-bench k1 "$AUDIENCE" "$4" > "$3"
  fi
}
per_s() { if [ "$1" = eddsa ]; then echo "$EDDSA_PER_S"; else echo "$RS256_PER_S"; fi; }
# probe PORT PATH FILE: the first token of FILE must be accepted, or the run stops and says why.
probe() {
  local answer
  answer=$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $(head -1 "$3")" "http://127.0.0.1:$1$2")
  [ "${answer##* }" = 200 ] || { echo "!! GET $2 on port $1 refused a fresh token: $answer" >&2; tail -20 "$work/app.log" >&2; exit 1; }
}

echo "target,token,requests_per_s,cpu_us_per_request,half_peak_requests_per_s,p99_ms_at_half_peak,rss_mb" > "$out/peers.csv"
# ms WRK_OUT: wrk's 99th percentile in milliseconds.
p99_ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  print (u == "us" ? v / 1000 : (u == "s" ? v * 1000 : v)) }' "$1"; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# half_peak PEAK: connections and per-connection delay (ms) for about half of PEAK requests/s.
half_peak() { pacing "$(python3 -c "print($1 / 2)")" "$CONNECTIONS"; }

# run TARGET TOKEN PID PORT PATH: warm-up, peak, then half of that peak, paced; a token per request.
run() {
  local target=$1 kind=$2 pid=$3 port=$4 path=$5 name="$1-$2" rps cpu half delay p99 files="$work/$1-$2"
  [ "$kind" = rs256 ] && files="$work/rs256"
  sign "$kind" "$path" "$files-warm.txt" $(( WARMUP * $(per_s "$kind") ))
  probe "$port" "$path" "$files-warm.txt"
  REQUEST_PATH=$path wrk_me /dev/null "$files-warm.txt" "$port" "$THREADS" "$CONNECTIONS" "$WARMUP"
  sign "$kind" "$path" "$files-peak.txt" $(( DURATION * $(per_s "$kind") ))
  REQUEST_PATH=$path measure "$name" "$pid" wrk_me /dev/stdout "$files-peak.txt" "$port" "$THREADS" "$CONNECTIONS" "$DURATION"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.report")
  cpu=$(awk '/server CPU per request/ {print $5}' "$work/$name.report")
  read -r conns delay < <(half_peak "$rps")
  sign "$kind" "$path" "$files-half.txt" $(( DURATION * $(per_s "$kind") * 2 / 3 ))
  REQUEST_PATH=$path wrk_me "$work/$name-half.out" "$files-half.txt" "$port" "$THREADS" "$conns" "$DURATION" "$delay"
  half=$(awk '/Requests\/sec/ {print $2}' "$work/$name-half.out")
  p99=$(p99_ms "$work/$name-half.out")
  grep -q 'Non-2xx' "$work/$name.out" "$work/$name-half.out" && echo "   !! $name: some answers were not 2xx (see the run above)"
  echo "   half peak: $half requests/s ($conns connections, each paced at $delay ms), p99 $p99 ms"
  echo "$target,$kind,$rps,$cpu,$half,$p99,$(rss_mb "$pid")" >> "$out/peers.csv"
}

run signet-serve eddsa "$serve" "$SERVE_PORT" /me
run spring-resource-server eddsa "$app" "$APP_PORT" /rs/eddsa/whoami
run spring-signet-starter eddsa "$app" "$APP_PORT" /whoami
run signet-serve rs256 "$serve" "$SERVE_PORT" /me
run spring-resource-server rs256 "$app" "$APP_PORT" /rs/rs256/whoami
run spring-signet-starter rs256 "$app" "$APP_PORT" /whoami
# The floor: the same application answering without a token (its own wrk runs, same shape).
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$APP_PORT/healthz" > /dev/null
measure spring-unverified "$app" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$APP_PORT/healthz"
rps=$(awk '/Requests\/sec/ {print $2}' "$work/spring-unverified.report")
read -r conns delay < <(half_peak "$rps")
DELAY_MS=$delay wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -s bench/paced.lua "http://127.0.0.1:$APP_PORT/healthz" \
  > "$work/unverified-half.out"
echo "spring-unverified,none,$rps,$(awk '/server CPU per request/ {print $5}' "$work/spring-unverified.report"),$(awk '/Requests\/sec/ {print $2}' "$work/unverified-half.out"),$(p99_ms "$work/unverified-half.out"),$(rss_mb "$app")" >> "$out/peers.csv"

echo "== $out/peers.csv"
column -s, -t < "$out/peers.csv"
python3 - "$out/peers.csv" <<'PY'
import csv, sys
rows = {(r["target"], r["token"]): r for r in csv.DictReader(open(sys.argv[1]))}
cpu = lambda t, k: float(rows[(t, k)]["cpu_us_per_request"])
for kind in ("eddsa", "rs256"):
    rs = cpu("spring-resource-server", kind)
    print("== %s, same run: Signet starter / Spring resource server CPU per request: %.2fx (target <= 1); "
          "signet serve / Spring resource server: %.2fx (target <= 0.5)" % (kind, cpu("spring-signet-starter", kind) / rs, cpu("signet-serve", kind) / rs))
PY
raw_verify "$work/raw.json"
if command -v gnuplot > /dev/null; then
  gnuplot -e "csv='$out/peers.csv'; png='$out/peers.png'" bench/plots/peers.gp && echo "plot: $out/peers.png"
fi
