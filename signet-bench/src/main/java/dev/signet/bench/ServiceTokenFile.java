package dev.signet.bench;

import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.service.ServiceTokenSigner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * Writes COUNT distinct seed 002 service tokens (RS256, a fresh {@code jti} each), one per line,
 * for load runs: {@code bench/peers.sh} sends the same ones to signet serve, the Signet starter and
 * Spring's own resource server.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.ServiceTokenFile PRIVATE_PEM ISSUER KID AUDIENCE COUNT}
 */
public final class ServiceTokenFile {
  private ServiceTokenFile() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println("usage: ServiceTokenFile PRIVATE_PEM ISSUER KID AUDIENCE COUNT");
      System.exit(2);
    }
    ServiceTokenSigner signer = new ServiceTokenSigner(args[1], args[2], args[3], RsaPrivateKey.parse(Files.readString(Path.of(args[0]))),
        Clock.systemUTC(), Duration.ofMinutes(30));
    int count = Integer.parseInt(args[4]);
    // RSA signing is slow (~1 ms): on every core. The signer's jti stays distinct across threads.
    String[] tokens = IntStream.range(0, count).parallel().mapToObj(i -> signer.sign("svc-bench")).toArray(String[]::new);
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII))) {
      for (String t : tokens) {
        out.write(t);
        out.newLine();
      }
    }
  }
}
