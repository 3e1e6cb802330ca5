package dev.signet.cli;

import dev.signet.client.ApiException;
import dev.signet.client.Credentials;
import dev.signet.client.SignetClient;
import dev.signet.client.SignetWebSocket;
import dev.signet.keys.Keystore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code signet request ws(s)://...}: one WebSocket opened with a signed upgrade ({@link SignetClient#webSocket}),
 * each message received printed on a line, each line of stdin sent as a message; stdin's end closes it once replies stop
 * (a second without one).
 * With {@code --gzip} messages go both ways as gzip-compressed binary frames, as Mixin's Blaze sends them.
 */
final class WebSocketRequest {
  private WebSocketRequest() {}

  /** Returns when the connection has closed: normally (1000) after stdin ended, else with an error. */
  static void run(URI uri, Keystore keystore, boolean httpSignature, List<String> protocols, boolean gzip, long timeoutSeconds,
      InputStream stdin, PrintWriter out) {
    CompletableFuture<String> ended = new CompletableFuture<>();
    StringBuilder parts = new StringBuilder();
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    java.util.concurrent.atomic.AtomicLong lastMessage = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    SignetWebSocket.Listener listener = new SignetWebSocket.Listener() {
      @Override
      public void onText(SignetWebSocket socket, CharSequence text, boolean last) {
        parts.append(text);
        lastMessage.set(System.nanoTime());
        if (last) {
          out.println(parts);
          parts.setLength(0);
        }
      }

      @Override
      public void onBinary(SignetWebSocket socket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.write(bytes, 0, bytes.length);
        lastMessage.set(System.nanoTime());
        if (last) {
          byte[] message = binary.toByteArray();
          binary.reset();
          out.println(gzip ? gunzip(message) : "binary " + java.util.Base64.getEncoder().encodeToString(message));
        }
      }

      @Override
      public void onClosed(SignetWebSocket socket, int code, String reason, boolean reopening) {
        ended.complete(code == 1000 ? "" : "the server closed the connection: " + code + (reason.isEmpty() ? "" : " " + reason));
      }

      @Override
      public void onError(SignetWebSocket socket, Throwable error, boolean reopening) {
        ended.complete("the connection failed: " + error.getClass().getSimpleName());
      }
    };
    SignetClient client = SignetClient.builder(Credentials.fromKeystore(keystore)).timeout(Duration.ofSeconds(timeoutSeconds))
        .httpSignatures(httpSignature).build();
    SignetWebSocket.Options options = SignetWebSocket.Options.defaults().withReopen(false)
        .withSubprotocols(protocols.toArray(String[]::new));
    SignetWebSocket socket;
    try {
      socket = client.webSocket(uri, listener, options).get(timeoutSeconds + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException a) {
        throw new IllegalArgumentException(a.status() == ApiException.NO_RESPONSE ? a.description() : "error " + a.status() + ": " + a.description());
      }
      throw new IllegalArgumentException("WebSocket failed: " + e.getCause().getMessage());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalArgumentException("WebSocket not opened within " + timeoutSeconds + " s");
    }
    out.flush();
    Thread stdinReader = new Thread(() -> send(socket, stdin, gzip, lastMessage), "signet-stdin");
    stdinReader.setDaemon(true);  // a connection the server ends does not wait for stdin
    stdinReader.start();
    String error;
    try {
      error = ended.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (ExecutionException e) {
      error = String.valueOf(e.getCause());
    }
    out.flush();
    if (!error.isEmpty()) {
      throw new IllegalArgumentException(error);
    }
  }

  /** Sends stdin's lines; at its end, closes once the replies have stopped (1 s without a message, at most 10 s). */
  private static void send(SignetWebSocket socket, InputStream stdin, boolean gzip, java.util.concurrent.atomic.AtomicLong lastMessage) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        (gzip ? socket.sendBinary(ByteBuffer.wrap(gzip(line))) : socket.sendText(line)).join();
      }
      long ended = System.nanoTime();
      lastMessage.set(ended);
      while (System.nanoTime() - lastMessage.get() < 1_000_000_000L && System.nanoTime() - ended < 10_000_000_000L) {
        Thread.sleep(50);
      }
    } catch (IOException | RuntimeException e) {
      // The connection is gone or stdin failed: closing below ends the session either way.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String gunzip(byte[] message) {
    try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(message))) {
      return new String(z.readNBytes(16 << 20), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "binary (not gzip) " + java.util.Base64.getEncoder().encodeToString(message);
    }
  }
}
