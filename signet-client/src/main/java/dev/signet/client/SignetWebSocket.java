package dev.signet.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket whose every upgrade is signed afresh (see {@link SignetClient#webSocket}). When the
 * connection drops (the network, the server going away, a close the client did not ask for) it is
 * reopened with a new token, backing off from the client's backoff up to
 * {@link Options#maxBackoff()}; a refused upgrade (4xx but 429) or a close for policy (1008, e.g. a
 * revoked key) ends it, since a new token would be refused alike. A ping every
 * {@link Options#pingInterval()} keeps idle connections open through proxies. Sends are queued in
 * order; one made while reconnecting fails. Thread-safe.
 */
public final class SignetWebSocket {
  /** Close code of a policy violation: the server refused the credential (RFC 6455 section 7.4.1). */
  public static final int POLICY_VIOLATION = 1008;

  /** What a connection delivers; every method runs on the client's thread for that connection, in order. */
  public interface Listener {
    /** A connection opened (the first, or one reopened after a drop). */
    default void onOpen(SignetWebSocket socket) {}

    /** A text message, or a part of one ({@code last} false until its last part). */
    default void onText(SignetWebSocket socket, CharSequence text, boolean last) {}

    /** A binary message, or a part of one. */
    default void onBinary(SignetWebSocket socket, ByteBuffer data, boolean last) {}

    /** The connection closed with {@code code} and {@code reason}; {@code reopening} whether a new one follows. */
    default void onClosed(SignetWebSocket socket, int code, String reason, boolean reopening) {}

    /** The connection (or an upgrade) failed; {@code reopening} whether a new one follows. */
    default void onError(SignetWebSocket socket, Throwable error, boolean reopening) {}
  }

  /**
   * @param subprotocols offered in the upgrade, in order of preference (the Mixin SDKs offer {@code Mixin-Blaze-1})
   * @param pingInterval a ping after this much time; zero for none
   * @param reopen whether a dropped connection is reopened
   * @param maxBackoff the longest wait between two attempts to reopen
   */
  public record Options(List<String> subprotocols, Duration pingInterval, boolean reopen, Duration maxBackoff) {
    public Options {
      subprotocols = List.copyOf(subprotocols);
      if (pingInterval.isNegative() || maxBackoff.isNegative() || maxBackoff.isZero()) {
        throw new IllegalArgumentException("pingInterval must be zero or more, maxBackoff more than zero");
      }
    }

    /** No subprotocol, a ping every 30 s, reopened after drops with at most 30 s between attempts. */
    public static Options defaults() {
      return new Options(List.of(), Duration.ofSeconds(30), true, Duration.ofSeconds(30));
    }

    public Options withSubprotocols(String... offered) {
      return new Options(List.of(offered), pingInterval, reopen, maxBackoff);
    }

    public Options withPingInterval(Duration every) {
      return new Options(subprotocols, every, reopen, maxBackoff);
    }

    public Options withReopen(boolean on) {
      return new Options(subprotocols, pingInterval, on, maxBackoff);
    }

    public Options withMaxBackoff(Duration longest) {
      return new Options(subprotocols, pingInterval, reopen, longest);
    }
  }

  private final SignetClient client;
  private final HttpClient http;
  private final URI uri;
  private final Listener listener;
  private final Options options;
  private final Duration timeout;
  private final Duration backoff;
  private final int firstAttempts;
  /** The connection in service, null while (re)connecting; its generation tells its events from older ones'. */
  private WebSocket current;
  private int generation;
  /** Connections dropped in a row without a message: how far the next reopening backs off. */
  private int drops;
  private boolean closing;
  private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

  private SignetWebSocket(SignetClient client, HttpClient http, URI uri, Listener listener, Options options, Duration timeout,
      Duration backoff, int firstAttempts) {
    this.client = client;
    this.http = http;
    this.uri = uri;
    this.listener = listener;
    this.options = options;
    this.timeout = timeout;
    this.backoff = backoff;
    this.firstAttempts = firstAttempts;
  }

  static CompletableFuture<SignetWebSocket> open(SignetClient client, HttpClient http, URI uri, Listener listener, Options options,
      Duration timeout, Duration backoff, int attempts) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("a WebSocket URI is ws:// or wss:// with a host: " + uri));
    }
    SignetWebSocket socket = new SignetWebSocket(client, http, uri, listener, options, timeout, backoff, attempts);
    CompletableFuture<SignetWebSocket> first = new CompletableFuture<>();
    socket.connect(0, first);
    return first;
  }

  /** The subprotocol the server chose for the connection in service ("" for none, or while reconnecting). */
  public synchronized String subprotocol() {
    return current == null ? "" : current.getSubprotocol();
  }

  /** Whether a connection is in service. */
  public synchronized boolean isOpen() {
    return current != null && !current.isOutputClosed();
  }

  /** Sends one whole text message after those sent before it. */
  public CompletableFuture<Void> sendText(CharSequence text) {
    return enqueue(ws -> ws.sendText(text, true));
  }

  /** Sends one whole binary message after those sent before it. */
  public CompletableFuture<Void> sendBinary(ByteBuffer data) {
    return enqueue(ws -> ws.sendBinary(data, true));
  }

  /** Closes with 1000 (normal closure) and reopens no more. */
  public CompletableFuture<Void> close() {
    WebSocket ws;
    synchronized (this) {
      closing = true;
      ws = current;
    }
    if (ws == null || ws.isOutputClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    return enqueue(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "")).exceptionally(e -> null);
  }

  private synchronized CompletableFuture<Void> enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
    WebSocket ws = current;
    if (ws == null || ws.isOutputClosed()) {
      return CompletableFuture.failedFuture(new IllegalStateException(closing ? "the WebSocket is closed" : "the WebSocket is reconnecting"));
    }
    // The JDK's WebSocket takes one send at a time: each waits for the one before it.
    CompletableFuture<Void> next = sends.handle((x, e) -> null).thenCompose(x -> send.apply(ws)).thenApply(w -> null);
    sends = next;
    return next;
  }

  /** Attempt {@code attempt} of a connection; {@code first} is completed by the first connection only. */
  private void connect(int attempt, CompletableFuture<SignetWebSocket> first) {
    int gen;
    synchronized (this) {
      if (closing) {
        return;
      }
      gen = ++generation;
    }
    client.upgradeHeaders(uri).thenCompose(headers -> {
      WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
      headers.forEach(b::header);
      List<String> offered = options.subprotocols();
      if (!offered.isEmpty()) {
        b.subprotocols(offered.get(0), offered.subList(1, offered.size()).toArray(String[]::new));
      }
      return b.buildAsync(uri, new Connection(gen, first));
    }).whenComplete((opened, error) -> {
      if (error == null) {
        return;  // Connection.onOpen took it into service
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      int status = cause instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : ApiException.NO_RESPONSE;
      boolean retryable = status == ApiException.NO_RESPONSE || status == 429 || status >= 500;
      ApiException refused = new ApiException(status, status, status == ApiException.NO_RESPONSE
          ? "WebSocket upgrade failed: " + cause.getClass().getSimpleName() : "WebSocket upgrade refused: HTTP " + status, null, cause);
      boolean again = retryable && (first.isDone() ? options.reopen() : attempt + 1 < firstAttempts) && !isClosing();
      if (first.isDone()) {
        listener.onError(this, refused, again);
      } else if (!again) {
        first.completeExceptionally(refused);
      }
      if (again) {
        later(delay(attempt), () -> connect(attempt + 1, first));
      }
    });
  }

  private synchronized boolean isClosing() {
    return closing;
  }

  private long delay(int attempt) {
    return Math.min(options.maxBackoff().toMillis(), backoff.toMillis() << Math.min(16, attempt));
  }

  private static void later(long millis, Runnable task) {
    CompletableFuture.runAsync(task, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
  }

  private synchronized boolean isCurrent(int gen) {
    return gen == generation;
  }

  /** A dropped connection: reopened (from the first backoff step) unless the close was asked for or for policy. */
  private void dropped(int gen, boolean policy) {
    boolean again;
    int step;
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      current = null;
      again = options.reopen() && !closing && !policy;
      step = drops++;
    }
    if (again) {
      later(delay(step), () -> connect(step + 1, CompletableFuture.completedFuture(this)));
    }
  }

  /** A message arrived: the connection works, so the next drop reopens without backing off far. */
  private synchronized void delivered() {
    drops = 0;
  }

  private void ping(int gen) {
    if (options.pingInterval().isZero()) {
      return;
    }
    later(options.pingInterval().toMillis(), () -> {
      WebSocket ws;
      synchronized (this) {
        ws = gen == generation ? current : null;
      }
      if (ws != null && !ws.isOutputClosed()) {
        enqueue(w -> w.sendPing(ByteBuffer.allocate(0))).whenComplete((x, e) -> ping(gen));
      }
    });
  }

  /** The JDK listener of one connection: hands its events on while it is the one in service. */
  private final class Connection implements WebSocket.Listener {
    private final int gen;
    private final CompletableFuture<SignetWebSocket> first;

    Connection(int gen, CompletableFuture<SignetWebSocket> first) {
      this.gen = gen;
      this.first = first;
    }

    @Override
    public void onOpen(WebSocket ws) {
      synchronized (SignetWebSocket.this) {
        if (gen != generation) {
          ws.abort();
          return;
        }
        current = ws;
      }
      listener.onOpen(SignetWebSocket.this);
      first.complete(SignetWebSocket.this);
      ping(gen);
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (isCurrent(gen)) {
        delivered();
        listener.onText(SignetWebSocket.this, data, last);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (isCurrent(gen)) {
        delivered();
        listener.onBinary(SignetWebSocket.this, data, last);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
      ws.request(1);  // the JDK answers the ping with a pong itself
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      if (isCurrent(gen)) {
        boolean policy = code == POLICY_VIOLATION;
        listener.onClosed(SignetWebSocket.this, code, reason, options.reopen() && !isClosing() && !policy);
        dropped(gen, policy);
      }
      return null;  // the JDK then answers the close
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (isCurrent(gen)) {
        listener.onError(SignetWebSocket.this, error, options.reopen() && !isClosing());
        dropped(gen, false);
      }
    }
  }
}
