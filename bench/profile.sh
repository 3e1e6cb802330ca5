#!/usr/bin/env bash
# Where a verified request spends its CPU: the server runs under async-profiler (from Maven
# Central, tools.profiler:async-profiler, Linux x86-64 or ARM64), wrk sends it a distinct token per
# request, and its request threads' samples (Java, native and kernel frames: what JFR's execution
# samples cannot see, since libsodium and the socket writes run outside Java) are summed by stage.
# TARGET=serve (default): signet serve's event loops on GET /me. TARGET=spring: the Spring Boot
# example (the Signet starter) on GET /whoami, Tomcat's threads, with its open GET /healthz sampled
# first in the same JVM (the application's floor, without verification; cpu-unverified.collapsed).
# Writes target/profile/cpu.collapsed (for any flame-graph tool) and prints the table BENCHMARKS.md
# quotes. Needs wrk.
# Usage: bench/profile.sh   (TARGET, DURATION, WARMUP, CONNECTIONS, THREADS, PORT override)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18086}
TARGET=${TARGET:-serve}
VERSION=4.2

case "$(uname -m)" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) echo "async-profiler: no build for $(uname -m)" >&2; exit 2 ;; esac
./mvnw -q -B -ntp install -DskipTests
out="$root/target/profile"; rm -rf "$out"; mkdir -p "$out"
./mvnw -q -B -ntp dependency:copy -Dartifact="tools.profiler:async-profiler:$VERSION:jar:$arch" -DoutputDirectory="$out"
(cd "$out" && unzip -q -o "async-profiler-$VERSION-$arch.jar" "$arch/*")
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

lib="$out/$arch/libasyncProfiler.so"
case "$TARGET" in
  serve)
    path=/me
    pid=$(start_node "$work/serve.log" "$PORT" SIGNET_DATA_DIR="$work/data")
    new_keystore "$PORT" "$work/keystore.json"
    sleep 1.1 ;;
  spring)
    path=/whoami
    bot_keys "$work"
    SIGNET_KEYS_FILE="$work/keys.yml" SERVER_PORT=$PORT SIGNET_REPLAY_CAPACITY=4000000 \
      java ${JAVA_OPTS:-} -jar examples/spring-boot/target/signet-example-spring-boot.jar > "$work/app.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done ;;
  *) echo "TARGET is serve or spring" >&2; exit 2 ;;
esac
export REQUEST_PATH=$path
tokens "$work/keystore.json" $(( WARMUP * 20000 )) "$work/warm.txt" "$path"
tokens "$work/keystore.json" $(( DURATION * 20000 )) "$work/me.txt" "$path"
wrk_me /dev/null "$work/warm.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
if [ "$TARGET" = spring ]; then
  # The floor, sampled the same way, so that each stage of /whoami can be set against it.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "http://127.0.0.1:$PORT/healthz" > /dev/null
  jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
  measure unverified "$pid" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz"
  jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out/cpu-unverified.collapsed\"" > /dev/null
  python3 "$root/bench/stages.py" "$out/cpu-unverified.collapsed" "$work/unverified.report" spring-unverified
fi
# Attached after the warm-up, so that only the measured run is sampled (not JIT compilation). The
# options are quoted once more: jcmd would read "event=cpu" as one of its own arguments.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
measure me "$pid" wrk_me /dev/stdout "$work/me.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out/cpu.collapsed\"" > /dev/null
python3 "$root/bench/stages.py" "$out/cpu.collapsed" "$work/me.report" "$TARGET"
