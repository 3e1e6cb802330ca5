#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that reads outside input (FUZZING.md).
#
#   fuzz/run.sh [seconds per target] [target ...]     e.g. fuzz/run.sh 600   or   fuzz/run.sh 60 compactJws
#
# Each target runs alone in fuzzing mode (Jazzer fuzzes one @FuzzTest per JVM) for the given time,
# FUZZ_JOBS at a time (default 1). New inputs that add coverage go to the module's .cifuzz-corpus/
# (kept between runs, not committed); an input that breaks a target's contract is written by Jazzer
# into the target's Inputs directory under src/test/resources, where the normal test run replays it
# from then on: commit it with the fix. Prints per target: executions, coverage, corpus, findings.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-60}
shift || true
JOBS=${FUZZ_JOBS:-1}
# Jazzer instruments these for coverage: our code and the libraries our parsers hand input to.
INSTRUMENT='dev.signet.**,com.fasterxml.jackson.**,org.bouncycastle.asn1.**,org.bouncycastle.util.**,org.yaml.snakeyaml.**'

ALL=(
  signet-core:dev.signet.codec.CodecFuzzTest#hex
  signet-core:dev.signet.codec.CodecFuzzTest#base64url
  signet-core:dev.signet.codec.CodecFuzzTest#base58
  signet-core:dev.signet.json.StrictJsonFuzzTest#parseObject
  signet-core:dev.signet.jwt.CompactJwsFuzzTest#compactJws
  signet-core:dev.signet.keys.KeyParsingFuzzTest#keystore
  signet-core:dev.signet.keys.KeyParsingFuzzTest#pemAndText
  signet-core:dev.signet.keys.KeyParsingFuzzTest#grapheneKeys
  signet-core:dev.signet.keys.KeyParsingFuzzTest#signatures
  signet-core:dev.signet.scheme.graphene.GraphenePayloadFuzzTest#payload
  signet-core:dev.signet.pin.PinFuzzTest#pinBlock
  signet-server:dev.signet.server.config.ConfigFuzzTest#yaml
  signet-server:dev.signet.server.admin.AdminBodyFuzzTest#adminBodies
)
targets=()
if [ $# -eq 0 ]; then
  targets=("${ALL[@]}")
else
  for name in "$@"; do
    match=$(printf '%s\n' "${ALL[@]}" | grep -E "#${name}\$|\\.${name}#" || true)
    [ -n "$match" ] || { echo "fuzz: no target named $name" >&2; exit 2; }
    while read -r t; do targets+=("$t"); done <<< "$match"
  done
fi

echo "fuzz: building"
./mvnw -B -q -ntp install -DskipTests -pl signet-server -am || exit 1
mkdir -p target/fuzz

run_one() {
  local module=${1%%:*} test=${1#*:}
  local log="target/fuzz/${test##*.}.log"
  JAZZER_FUZZ=1 ./mvnw -B -o -ntp -pl "$module" surefire:test -Dtest="$test" \
    -Djazzer.max_duration="${SECONDS_PER_TARGET}s" -Djazzer.instrument="$INSTRUMENT" \
    -DargLine=-Xmx1g -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  echo $? > "$log.rc"
}

running=0
for t in "${targets[@]}"; do
  echo "fuzz: ${t#*:} for ${SECONDS_PER_TARGET}s"
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=0
printf '\n%-36s %8s %13s %9s %12s %10s %s\n' target seconds executions exec/s coverage corpus findings
for t in "${targets[@]}"; do
  test=${t#*:}
  log="target/fuzz/${test##*.}.log"
  rc=$(cat "$log.rc" 2>/dev/null || echo 1)
  # libFuzzer's status lines: "#<runs> INITED|NEW|DONE ... cov: <edges> ft: <features> corp: <n>/<size>".
  inited=$(grep -a -m1 -oE 'INITED +cov: [0-9]+' "$log" | grep -oE '[0-9]+$')
  last=$(grep -a -E '^#[0-9]+' "$log" | tail -n 1)
  runs=$(sed -E 's/^#([0-9]+).*/\1/' <<< "$last")
  cov=$(grep -oE 'cov: [0-9]+' <<< "$last" | grep -oE '[0-9]+')
  corp=$(grep -oE 'corp: [0-9]+' <<< "$last" | grep -oE '[0-9]+')
  secs=$(grep -a -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+')
  findings=$(grep -a -c 'FuzzTestFindingException' "$log")
  if [ "$rc" != 0 ]; then
    failed=1
    [ "$findings" -gt 0 ] || findings="error (see $log)"
  fi
  rate=$([ -n "${secs:-}" ] && [ "${secs:-0}" -gt 0 ] && echo $(( ${runs:-0} / secs )) || echo -)
  printf '%-36s %8s %13s %9s %12s %10s %s\n' "${test##*.}" "${secs:--}" "${runs:--}" "$rate" \
    "${inited:-?}->${cov:-?}" "${corp:--}" "$findings"
done
exit $failed
