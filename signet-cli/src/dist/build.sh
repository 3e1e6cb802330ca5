#!/usr/bin/env bash
# Builds target/signet-<version>-linux-x64.tar.gz (./mvnw -Pdist package): a jlink runtime of the
# building JDK with the modules the CLI and server use (jdeps over target/signet.jar), the jar,
# bin/signet, the systemd unit and an example configuration.
set -euo pipefail
version="$1"
java_home="$2"
cd "$(dirname "$0")/../.."
name="signet-$version-linux-x64"
out="target/dist/$name"
rm -rf "target/dist"
mkdir -p "$out/lib"
# jdeps' list, plus the EC provider (TLS key exchange, ES256) and DNS, which are found by service lookup.
modules="$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps target/signet.jar)"
modules="$modules,jdk.crypto.ec,jdk.naming.dns,jdk.localedata"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/runtime"
cp target/signet.jar "$out/lib/"
cp -R src/dist/bin src/dist/systemd src/dist/conf "$out/"
chmod 755 "$out/bin/signet"
cat > "$out/README" <<TEXT
Signet $version for Linux x86-64, with its own Java runtime (runtime/): no JDK needed.

  bin/signet serve --config conf/signet.yaml     start the server (data in ./signet-data)
  bin/signet --help                              every command

systemd/signet.service runs it sandboxed (DynamicUser, ProtectSystem=strict, StateDirectory);
install this directory as /opt/signet and the configuration as /etc/signet/signet.yaml.
TEXT
tar -C target/dist -czf "target/$name.tar.gz" "$name"
echo "dist: target/$name.tar.gz ($(du -h "target/$name.tar.gz" | cut -f1))"
