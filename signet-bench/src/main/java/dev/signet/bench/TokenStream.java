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
 * expired before its turn): writes chunks of COUNT tokens into DIR, one thread signing, never more
 * than AHEAD chunks waiting, so each is signed shortly before it is used. A chunk is SPLIT files
 * {@code chunk-N.txt.0 ...}, one per wrk thread (each reads only its own), then an empty
 * {@code chunk-N.txt} saying the chunk is complete. A file {@code count} in DIR, when present,
 * replaces COUNT from the next chunk on: the consumer sizes chunks to the rate it measures, so
 * that no CPU goes to tokens nobody sends. The consumer deletes a chunk when done with it; a file
 * named {@code stop} ends this process.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.TokenStream KEYSTORE DIR COUNT AHEAD URI SPLIT}
 */
public final class TokenStream {
  private TokenStream() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 6) {
      System.err.println("usage: TokenStream KEYSTORE DIR COUNT AHEAD URI SPLIT");
      System.exit(2);
    }
    Keystore ks = Keystore.parse(Files.readString(Path.of(args[0])));
    MixinBotSigner signer = new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC());
    Path dir = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    int ahead = Integer.parseInt(args[3]);
    int split = Integer.parseInt(args[5]);
    for (int n = 0; !Files.exists(dir.resolve("stop")); n++) {
      while (waiting(dir) >= ahead) {
        if (Files.exists(dir.resolve("stop"))) {
          return;
        }
        Thread.sleep(50);
      }
      count = requestedCount(dir, count);
      for (int k = 0; k < split; k++) {
        Path tmp = dir.resolve("chunk-" + n + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
          for (int i = k; i < count; i += split) {
            out.write(signer.sign("GET", args[4], new byte[0]));
            out.newLine();
          }
        }
        Files.move(tmp, dir.resolve("chunk-" + n + ".txt." + k), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.createFile(dir.resolve("chunk-" + n + ".txt"));
    }
  }

  private static int requestedCount(Path dir, int current) throws IOException {
    Path file = dir.resolve("count");
    if (!Files.exists(file)) {
      return current;
    }
    String text = Files.readString(file).trim();
    return text.isEmpty() ? current : Integer.parseInt(text);
  }

  private static long waiting(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".txt")).count();
    }
  }
}
