#!/usr/bin/env bash
# JMH: Ed25519VerifyBenchmark in one run (Signet's full verification, the bare libsodium,
# BouncyCastle and JDK verifications of the same signing input, Nimbus parsing and verifying the
# same token, and signing a token with each provider), the ratios BENCHMARKS.md's targets are stated
# in, and, with gnuplot, target/bench/verify.png drawn from JMH's own JSON.
# Usage: bench/verify.sh   (FORKS, ITERATIONS, WARMUPS override; JMH_ARGS adds JMH options)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench"; mkdir -p "$out"
./mvnw -q -B -ntp install -DskipTests -pl signet-bench -am
java -jar signet-bench/target/benchmarks.jar Ed25519VerifyBenchmark -f "${FORKS:-1}" -wi "${WARMUPS:-3}" \
  -i "${ITERATIONS:-5}" -rf json -rff "$out/verify.json" ${JMH_ARGS:-} | grep -E "^(Benchmark|Ed25519)"
python3 - "$out/verify.json" "$out/verify.tsv" <<'PY'
import json, sys
scores = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(sys.argv[1]))}
s = scores.get
print("== ratios, same run")
print("   signetFullVerification / libsodiumRawVerify: %.2fx (target >= 0.9x)" % (s("signetFullVerification") / s("libsodiumRawVerify")))
print("   libsodiumRawVerify / bouncyCastleRawVerify: %.2fx" % (s("libsodiumRawVerify") / s("bouncyCastleRawVerify")))
print("   signetFullVerification / nimbusParseAndVerify: %.2fx" % (s("signetFullVerification") / s("nimbusParseAndVerify")))
print("   signTokenLibsodium / signTokenBouncyCastle: %.2fx" % (s("signTokenLibsodium") / s("signTokenBouncyCastle")))
print("   libsodiumRawSign / bouncyCastleRawSign: %.2fx" % (s("libsodiumRawSign") / s("bouncyCastleRawSign")))
labels = [("signetFullVerification", "Signet, full (libsodium)"), ("libsodiumRawVerify", "libsodium, bare"),
          ("bouncyCastleRawVerify", "BouncyCastle, bare"), ("jdkRawVerify", "JDK, bare"),
          ("nimbusParseAndVerify", "Nimbus, parse + verify")]
with open(sys.argv[2], "w") as f:
    for key, label in labels:
        f.write("%s\t%.0f\n" % (label, scores[key]))
PY
if command -v gnuplot >/dev/null; then
  gnuplot -e "data='$out/verify.tsv'; png='$out/verify.png'" bench/plots/verify.gp && echo "plot: $out/verify.png"
else
  echo "gnuplot not found (apt-get install gnuplot-nox): no plot"
fi
