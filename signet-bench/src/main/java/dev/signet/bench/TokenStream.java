package dev.signet.bench;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Keystore;
import dev.signet.scheme.mixin.MixinBotSigner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

/**
 * Fresh tokens for runs longer than the acceptance window (a token signed at the start would have
 * expired before its turn): writes {@code chunk-N.txt} files of COUNT tokens into DIR, one thread
 * signing, never more than AHEAD files waiting, so each file is signed shortly before it is used.
 * The consumer deletes a file when done with it; a file named {@code stop} ends this process.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.TokenStream KEYSTORE DIR COUNT AHEAD URI}
 */
public final class TokenStream {
  private TokenStream() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 5) {
      System.err.println("usage: TokenStream KEYSTORE DIR COUNT AHEAD URI");
      System.exit(2);
    }
    Keystore ks = Keystore.parse(Files.readString(Path.of(args[0])));
    MixinBotSigner signer = new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC());
    Path dir = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int ahead = Integer.parseInt(args[3]);
    for (int n = 0; !Files.exists(dir.resolve("stop")); n++) {
      while (waiting(dir) >= ahead) {
        if (Files.exists(dir.resolve("stop"))) {
          return;
        }
        Thread.sleep(50);
      }
      Path tmp = dir.resolve("chunk-" + n + ".tmp");
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
        for (int i = 0; i < count; i++) {
          out.write(signer.sign("GET", args[4], new byte[0]));
          out.newLine();
        }
      }
      Files.move(tmp, dir.resolve("chunk-" + n + ".txt"), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static long waiting(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".txt")).count();
    }
  }
}
