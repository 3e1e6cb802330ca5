#!/usr/bin/env bash
# Load benchmark of the integrations, each next to the raw Ed25519 verification (JMH) of the same run:
#  1. the Spring Boot example (signet-spring-boot-starter over signet-servlet), and the Servlet filter
#     alone in a plain embedded Tomcat: server CPU per verified GET /whoami, a distinct token per request;
#  2. the decision API behind nginx (auth_request): requests/s and p99 of GET /orders through nginx
#     to an upstream, with Signet deciding, against the same nginx and upstream without Signet.
# Needs wrk and nginx. Usage: bench/integrations-load.sh (DURATION, WARMUP, CONNECTIONS, THREADS override;
# ONLY=spring or ONLY=nginx runs one part)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
# Tokens signed per second of load: more than a node verifies, or wrk runs out and replays them (401s).
TOKENS_PER_S=${TOKENS_PER_S:-30000}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
APP_PORT=18090 SIGNET_PORT=18091 NGINX_PORT=18092 UPSTREAM_PORT=18093

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT

ONLY=${ONLY:-}
[ "$ONLY" = spring ] || command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] \
  || { echo "nginx is required (apt-get install nginx), or ONLY=spring" >&2; exit 2; }
# ---- 1. Spring Boot example ----
if [ "$ONLY" != nginx ]; then
bot_keys "$work"
uid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uid"])' "$work/keystore.json")
sid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["session_id"])' "$work/keystore.json")
# whoami_run NAME PID [OPEN_PATH]: waits for the server PID on APP_PORT, warms it, measures GET /whoami
# (and GET OPEN_PATH, which needs no token), stops it.
whoami_run() {
  local name=$1 app=$2
  pids+=("$app")
  for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$APP_PORT/whoami" && break; sleep 0.2; done
  tokens "$work/keystore.json" $(( WARMUP * TOKENS_PER_S )) "$work/warm.txt" /whoami
  tokens "$work/keystore.json" $(( DURATION * 20000 )) "$work/whoami.txt" /whoami
  REQUEST_PATH=/whoami wrk_me /dev/null "$work/warm.txt" "$APP_PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
  if [ -n "${3:-}" ]; then  # the application's own cost: an endpoint without verification
    wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "http://127.0.0.1:$APP_PORT$3" > /dev/null
    measure "$name-unverified" "$app" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$APP_PORT$3"
  fi
  REQUEST_PATH=/whoami measure "$name" "$app" wrk_me /dev/stdout "$work/whoami.txt" "$APP_PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
  if [ -n "${3:-}" ]; then  # the floor again, paced at /whoami's rate (as bench/load.sh does for /me)
    local conns delay
    read -r conns delay < <(pacing "$(awk '/Requests\/sec/ {print $2}' "$work/$name.out")" "$CONNECTIONS")
    measure "$name-unverified-same-rate" "$app" env DELAY_MS="$delay" wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency \
      -s bench/paced.lua "http://127.0.0.1:$APP_PORT$3"
  fi
  kill "$app"; wait "$app" 2>/dev/null || true
}
SIGNET_KEYS_FILE="$work/keys.yml" SERVER_PORT=$APP_PORT SIGNET_REPLAY_CAPACITY=4000000 \
  java ${JAVA_OPTS:-} -jar examples/spring-boot/target/signet-example-spring-boot.jar > "$work/app.log" 2>&1 &
whoami_run spring-whoami $! /healthz
java ${JAVA_OPTS:-} -cp signet-bench/target/benchmarks.jar dev.signet.bench.ServletServer "$APP_PORT" "$uid" "$sid" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' "$work/key.json")" > "$work/servlet.log" 2>&1 &
whoami_run servlet-whoami $!
fi

# ---- 2. decision API behind nginx ----
if [ "$ONLY" != spring ]; then
signet_pid=$(start_node "$work/serve.log" "$SIGNET_PORT" SIGNET_DATA_DIR="$work/data")
pids+=("$signet_pid")
new_keystore "$SIGNET_PORT" "$work/serve-keystore.json"
sleep 1.1
sed -e "s|DIR|$work|g" -e "s|SIGNET|$SIGNET_PORT|g" -e "s|UPSTREAM|$UPSTREAM_PORT|g" -e "s|PORT|$NGINX_PORT|g" \
  signet-server/src/test/resources/gateways/nginx.conf > "$work/nginx.conf"
# The upstream is nginx itself, answering at once, and a second front without Signet for comparison.
python3 - "$work/nginx.conf" "$UPSTREAM_PORT" "$((NGINX_PORT + 10))" <<'PY'
import sys
path, upstream, plain = sys.argv[1:]
conf = open(path).read().rstrip().rstrip('}')
conf += """
  server { listen 127.0.0.1:%s; location / { return 200 "ok\\n"; } }
  server { listen 127.0.0.1:%s; location / { proxy_pass http://127.0.0.1:%s; } }
}
""" % (upstream, plain, upstream)
open(path, "w").write(conf)
PY
nginx -p "$work" -c "$work/nginx.conf"
sleep 0.5
tokens "$work/serve-keystore.json" $(( WARMUP * TOKENS_PER_S )) "$work/nwarm.txt" /orders
tokens "$work/serve-keystore.json" $(( DURATION * 20000 )) "$work/orders.txt" /orders
REQUEST_PATH=/orders wrk_me /dev/null "$work/nwarm.txt" "$NGINX_PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$((NGINX_PORT + 10))/orders" > /dev/null
measure nginx-without-signet "$signet_pid" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$((NGINX_PORT + 10))/orders"
REQUEST_PATH=/orders measure nginx-with-signet-decisions "$signet_pid" wrk_me /dev/stdout "$work/orders.txt" "$NGINX_PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
fi

raw_verify "$work/raw.json"
python3 - "$work" "$ticks" <<'PY'
import json, re, sys
work = sys.argv[1]
raw_us = 1e6 / next(b["primaryMetric"]["score"] for b in json.load(open(work + "/raw.json"))
                   if b["benchmark"].endswith(".libsodiumRawVerify"))
def rps(name):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", open("%s/%s.out" % (work, name)).read()).group(1))
def cpu(name):
    return float(re.search(r"server CPU per request: ([\d.]+)", open("%s/%s.report" % (work, name)).read()).group(1))
import os
print("== ratios, same run")
print("   raw Ed25519 verification (libsodium, the provider in use): %.1f us" % raw_us)
if os.path.exists(work + "/spring-whoami.report"):
    print("   Spring example CPU per verified request / raw verification: %.2fx" % (cpu("spring-whoami") / raw_us))
    print("   Spring example: /whoami minus /healthz (what Signet adds) / raw verification: %.2fx"
          % ((cpu("spring-whoami") - cpu("spring-whoami-unverified")) / raw_us))
    print("   ... with the floor at /whoami's rate (%.0f/s): %.2fx ((%.1f - %.1f) us)"
          % (rps("spring-whoami-unverified-same-rate"), (cpu("spring-whoami") - cpu("spring-whoami-unverified-same-rate")) / raw_us,
             cpu("spring-whoami"), cpu("spring-whoami-unverified-same-rate")))
    print("   Servlet filter (plain Tomcat) CPU per verified request / raw verification: %.2fx" % (cpu("servlet-whoami") / raw_us))
if os.path.exists(work + "/nginx-with-signet-decisions.out"):
    print("   Signet CPU per decision / raw verification: %.2fx" % (cpu("nginx-with-signet-decisions") / raw_us))
    print("   nginx + Signet decisions / nginx alone, requests/s: %.2f" % (rps("nginx-with-signet-decisions") / rps("nginx-without-signet")))
PY
