#!/usr/bin/env bash
# Where a verified GET /me spends its CPU on signet serve: the server runs under async-profiler
# (from Maven Central, tools.profiler:async-profiler, Linux x86-64 or ARM64), wrk sends it /me with a
# distinct token per request, and the event-loop threads' samples (Java, native and kernel frames:
# what JFR's execution samples cannot see, since libsodium and the socket writes run outside Java)
# are summed by stage. Writes target/profile/cpu.collapsed (for any flame-graph tool) and prints
# the table BENCHMARKS.md quotes. Needs wrk.
# Usage: bench/profile.sh   (DURATION, WARMUP, CONNECTIONS, THREADS, PORT override)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-18086}
VERSION=4.2

case "$(uname -m)" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) echo "async-profiler: no build for $(uname -m)" >&2; exit 2 ;; esac
./mvnw -q -B -ntp install -DskipTests
out="$root/target/profile"; rm -rf "$out"; mkdir -p "$out"
./mvnw -q -B -ntp dependency:copy -Dartifact="tools.profiler:async-profiler:$VERSION:jar:$arch" -DoutputDirectory="$out"
(cd "$out" && unzip -q -o "async-profiler-$VERSION-$arch.jar" "$arch/*")
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

lib="$out/$arch/libasyncProfiler.so"
pid=$(start_node "$work/serve.log" "$PORT" SIGNET_DATA_DIR="$work/data")
new_keystore "$PORT" "$work/keystore.json"
sleep 1.1
tokens "$work/keystore.json" $(( WARMUP * 20000 )) "$work/warm.txt"
tokens "$work/keystore.json" $(( DURATION * 20000 )) "$work/me.txt"
wrk_me /dev/null "$work/warm.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$WARMUP"
# Attached after the warm-up, so that only the measured run is sampled (not JIT compilation). The
# options are quoted once more: jcmd would read "event=cpu" as one of its own arguments.
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null
measure me "$pid" wrk_me /dev/stdout "$work/me.txt" "$PORT" "$THREADS" "$CONNECTIONS" "$DURATION"
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$out/cpu.collapsed\"" > /dev/null
python3 "$root/bench/stages.py" "$out/cpu.collapsed" "$work/me.report"
