package dev.signet.bench;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Keystore;
import dev.signet.scheme.mixin.MixinBotSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * bench/websocket-load.sh's two halves.
 *
 * <p>{@code upstream}: a WebSocket echo server on loopback; prints its port.
 * <p>{@code client URL KEYSTORE|- CONNECTIONS SECONDS}: opens CONNECTIONS WebSockets (a fresh
 * signed token for each, unless {@code -}), at most 200 handshakes in flight; prints upgrades/s;
 * then each connection sends a message and waits for its echo, again and again, for SECONDS; prints
 * round trips/s; then holds the connections until stdin closes (so RSS can be read meanwhile).
 */
public final class WebSocketLoad {
  private WebSocketLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("upstream")) {
      upstream();
    } else if (args.length == 5 && args[0].equals("client")) {
      client(URI.create(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    } else {
      System.err.println("usage: WebSocketLoad upstream | client URL KEYSTORE|- CONNECTIONS SECONDS");
      System.exit(2);
    }
  }

  /**
   * The load tools share the machine with signet serve: one event loop each (WS_LOAD_EVENT_LOOPS)
   * by default, so that they batch instead of adding threads that contend for the same cores.
   */
  private static VertxOptions options() {
    String loops = System.getenv().getOrDefault("WS_LOAD_EVENT_LOOPS", "1");
    return new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(Integer.parseInt(loops));
  }

  private static void upstream() throws Exception {
    Vertx vertx = Vertx.vertx(options());
    var server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(ws -> ws.frameHandler(f -> {
          if (f.isText() || f.isBinary() || f.isContinuation()) {
            ws.writeFrame(f);
          }
        }))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println(server.actualPort());
    Thread.currentThread().join();
  }

  private static void client(URI url, String keystore, int connections, int seconds) throws Exception {
    String[] tokens = new String[connections];
    if (!keystore.equals("-")) {
      Keystore ks = Keystore.parse(Files.readString(Path.of(keystore)));
      MixinBotSigner signer = new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC());
      String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      IntStream.range(0, connections).parallel().forEach(i -> tokens[i] = signer.sign("GET", target, new byte[0]));
    }
    Vertx vertx = Vertx.vertx(options());
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE)
        .setConnectTimeout(30_000));
    List<WebSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(connections);
    long start = System.nanoTime();
    for (int lane = 0; lane < Math.min(200, connections); lane++) {
      vertx.runOnContext(v -> openNext(client, url, tokens, next, open, failed, done));
    }
    done.await(600, TimeUnit.SECONDS);
    double upgradeSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("connections %d open, %d failed; upgrades/s %.0f%n", open.size(), failed.get(), open.size() / upgradeSeconds);

    AtomicLong trips = new AtomicLong();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch stopped = new CountDownLatch(open.size());
    String message = "x".repeat(64);
    for (WebSocket ws : List.copyOf(open)) {
      ws.textMessageHandler(t -> {
        trips.incrementAndGet();
        if (System.nanoTime() < until) {
          ws.writeTextMessage(message);
        } else {
          stopped.countDown();
        }
      });
      ws.writeTextMessage(message);
    }
    stopped.await(seconds + 30L, TimeUnit.SECONDS);
    System.out.printf("round trips/s %.0f over %d connections%n", trips.get() / (double) seconds, open.size());
    System.out.println("holding; close stdin to end");
    System.out.flush();
    System.in.read();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void openNext(WebSocketClient client, URI url, String[] tokens, AtomicInteger next, List<WebSocket> open,
      AtomicInteger failed, CountDownLatch done) {
    int i = next.getAndIncrement();
    if (i >= tokens.length) {
      return;
    }
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    if (tokens[i] != null) {
      o.addHeader("Authorization", "Bearer " + tokens[i]);
    }
    Future<WebSocket> f = client.connect(o);
    f.onComplete(r -> {
      if (r.succeeded()) {
        open.add(r.result());
      } else if (failed.incrementAndGet() == 1) {
        System.out.println("first failure: " + (r.cause() instanceof io.vertx.core.http.UpgradeRejectedException u
            ? u.getStatus() + " " + u.getBody() : String.valueOf(r.cause())));
      }
      done.countDown();
      openNext(client, url, tokens, next, open, failed, done);
    });
  }
}
