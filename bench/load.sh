#!/usr/bin/env bash
# Load benchmark of signet serve on its embedded default: verified GET /me (a distinct mixin-bot
# EdDSA token per request) next to unauthenticated GET /healthz, in one run, with the server
# process's CPU time per request (and per thread kind), a paced run at about half the peak rate,
# and the raw Ed25519 verification cost measured by JMH in the same run. Needs wrk.
# Usage: bench/load.sh   (DURATION, WARMUP, CONNECTIONS, THREADS, PORT override the defaults)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}     # seconds of /me before measuring: the JIT must be done, as in JMH
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}

./mvnw -q -B -ntp install -DskipTests
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=$(start_node "$work/serve.log" "$PORT" SIGNET_DATA_DIR="$work/data")
new_keystore "$PORT" "$work/keystore.json"
sleep 1.1   # tokens must be issued after the server's start second

count=$(( DURATION * 20000 ))
tokens "$work/keystore.json" $(( WARMUP * 20000 )) "$work/warm.txt"
tokens "$work/keystore.json" "$count" "$work/me.txt"
tokens "$work/keystore.json" "$count" "$work/half.txt"

# Warm the JIT on both paths first, so that the runs measure steady state (as JMH does).
wrk_me /dev/null "$work/warm.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT/healthz" > /dev/null

measure healthz "$pid" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
measure me "$pid" wrk_me /dev/stdout "$work/me.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
peak=$(awk '/Requests\/sec/ {print $2}' "$work/me.out")
# About half the peak: each of CONNECTIONS connections waits DELAY_MS between requests.
delay=$(python3 -c "print(max(1, round($CONNECTIONS * 1000 / ($peak / 2))))")
measure me-half-peak "$pid" wrk_me /dev/stdout "$work/half.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$DURATION" "$delay"
raw_verify "$work/raw.json"
