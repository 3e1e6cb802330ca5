package dev.signet.bench;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Keystore;
import dev.signet.scheme.mixin.MixinBotSigner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.IntStream;

/**
 * Writes COUNT distinct mixin-bot tokens for one request, one per line, for load runs (each token
 * is accepted once, so a load generator needs a new one per request).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.TokenFile KEYSTORE COUNT METHOD URI}
 */
public final class TokenFile {
  private TokenFile() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: TokenFile KEYSTORE COUNT METHOD URI");
      System.exit(2);
    }
    Keystore ks = Keystore.parse(Files.readString(Path.of(args[0])));
    MixinBotSigner signer = new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC());
    int count = Integer.parseInt(args[1]);
    String[] tokens = IntStream.range(0, count).parallel()
        .mapToObj(i -> signer.sign(args[2], args[3], new byte[0])).toArray(String[]::new);
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII))) {
      for (String t : tokens) {
        out.write(t);
        out.newLine();
      }
    }
  }
}
