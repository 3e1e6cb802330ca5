package dev.signet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.testing.MutableClock;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.RequestView;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.WebSocketFrameType;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SignetWebSocket} against a real WebSocket server (Vert.x) on loopback that verifies every
 * upgrade with signet-core, as {@code GET} + the target + an empty body, single use.
 */
class SignetWebSocketTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";

  final MutableClock clock = new MutableClock(Instant.now());
  final Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
  Backend backend;
  Vertx vertx;
  HttpServer server;
  /** Who each accepted upgrade was verified as, and for which target; refusals as "refused <code>". */
  final List<String> upgrades = new CopyOnWriteArrayList<>();
  final List<String> pings = new CopyOnWriteArrayList<>();
  /** What the server does with each accepted connection (default: echo). */
  volatile Consumer<ServerWebSocket> serve = SignetWebSocketTest::echo;

  @BeforeEach
  void start() throws Exception {
    backend = new Backend(clock);
    backend.registerSession(new KeyRef(Scheme.MIXIN_BOT, UID, SID),
        new RegisteredKey(JwsKey.eddsa(session.publicKey()), UID, UID, null), session.publicKey());
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setWebSocketSubProtocols(List.of("Mixin-Blaze-1")))
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(ws -> {
          ws.frameHandler(f -> {
            if (f.type() == WebSocketFrameType.PING) {
              pings.add("ping");
            }
          });
          serve.accept(ws);
        })
        .requestHandler(r -> r.response().setStatusCode(404).end());
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  void handshake(ServerWebSocketHandshake h) {
    String auth = h.headers().get("Authorization");
    try {
      Principal p = auth != null
          ? backend.authenticate("GET", h.uri(), new byte[0], auth.substring("Bearer ".length()))
          : backend.authenticateSigned(new RequestView("GET", h.uri(), "http://" + h.authority(), new byte[0], h.headers()::getAll));
      upgrades.add(p.scheme().wireName() + " " + p.userId() + " " + h.uri());
      h.accept();
    } catch (VerificationException e) {
      upgrades.add("refused " + e.failure().code());
      h.reject(401);
    }
  }

  static void echo(ServerWebSocket ws) {
    ws.textMessageHandler(t -> ws.writeTextMessage("echo:" + t));
    ws.binaryMessageHandler(b -> ws.writeBinaryMessage(Buffer.buffer("echo:").appendBuffer(b)));
  }

  URI uri(String target) {
    return URI.create("ws://127.0.0.1:" + server.actualPort() + target);
  }

  SignetClient.Builder client(Credentials c) {
    return SignetClient.builder(c).servers(List.of(URI.create("http://127.0.0.1:" + server.actualPort()))).clock(clock)
        .backoff(Duration.ofMillis(20));
  }

  /** Collects what a connection delivers, one event per line. */
  static final class Events implements SignetWebSocket.Listener {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(SignetWebSocket socket) {
      seen.add("open " + socket.subprotocol());
    }

    @Override
    public void onText(SignetWebSocket socket, CharSequence text, boolean last) {
      seen.add("text " + text + (last ? "" : " (part)"));
    }

    @Override
    public void onBinary(SignetWebSocket socket, ByteBuffer data, boolean last) {
      seen.add("binary " + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onClosed(SignetWebSocket socket, int code, String reason, boolean reopening) {
      seen.add("closed " + code + " " + reason + (reopening ? " reopening" : ""));
    }

    @Override
    public void onError(SignetWebSocket socket, Throwable error, boolean reopening) {
      seen.add("error " + error.getMessage() + (reopening ? " reopening" : ""));
    }

    String next() throws InterruptedException {
      String e = seen.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }
  }

  @Test
  void theUpgradeIsSignedForGetItsTargetAndNoBodyAndMessagesFlowBothWays() throws Exception {
    Events events = new Events();
    SignetClient client = client(new Credentials.Bot(UID, SID, session, null)).build();
    SignetWebSocket ws = client.webSocket(uri("/blaze?x=1"), events, SignetWebSocket.Options.defaults()
        .withSubprotocols("Mixin-Blaze-1")).get(10, TimeUnit.SECONDS);
    assertThat(events.next()).isEqualTo("open Mixin-Blaze-1");
    assertThat(upgrades).containsExactly("mixin-bot " + UID + " /blaze?x=1");
    ws.sendText("hello");
    ws.sendBinary(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8)));
    assertThat(events.next()).isEqualTo("text echo:hello");
    assertThat(events.next()).isEqualTo("binary echo:bytes");
    ws.close().get(10, TimeUnit.SECONDS);
    assertThat(events.next()).startsWith("closed 1000");
    assertThat(ws.sendText("late")).isCompletedExceptionally();
    Thread.sleep(200);
    assertThat(upgrades).as("a close asked for is not reopened").hasSize(1);
  }

  @Test
  void aDroppedConnectionIsReopenedWithAFreshToken() throws Exception {
    serve = ws -> {
      if (upgrades.size() == 1) {
        ws.close((short) 1011, "restarting");
      } else {
        echo(ws);
      }
    };
    Events events = new Events();
    SignetWebSocket ws = client(new Credentials.Bot(UID, SID, session, null)).build().webSocket(uri("/"), events)
        .get(10, TimeUnit.SECONDS);
    assertThat(events.next()).isEqualTo("open ");
    assertThat(events.next()).isEqualTo("closed 1011 restarting reopening");
    assertThat(events.next()).isEqualTo("open ");
    // The server's replay store accepts each token once: the second upgrade carried a new one.
    assertThat(upgrades).containsExactly("mixin-bot " + UID + " /", "mixin-bot " + UID + " /");
    ws.sendText("again");
    assertThat(events.next()).isEqualTo("text echo:again");
    ws.close();
  }

  @Test
  void aPolicyCloseEndsTheConnectionForGood() throws Exception {
    serve = ws -> ws.close((short) SignetWebSocket.POLICY_VIOLATION, "session revoked");
    Events events = new Events();
    client(new Credentials.Bot(UID, SID, session, null)).build().webSocket(uri("/"), events).get(10, TimeUnit.SECONDS);
    assertThat(events.next()).isEqualTo("open ");
    assertThat(events.next()).isEqualTo("closed 1008 session revoked");
    Thread.sleep(300);
    assertThat(upgrades).hasSize(1);
  }

  @Test
  void aRefusedUpgradeFailsTheOpenWithItsStatusAndIsNotRetried() {
    Ed25519PrivateKey stranger = Ed25519PrivateKey.generate(new SecureRandom());
    SignetClient client = client(new Credentials.Bot(UID, SID, stranger, null)).build();
    assertThatThrownBy(() -> client.webSocket(uri("/"), new Events()).join())
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
    assertThat(upgrades).containsExactly("refused bad_signature");
    assertThatThrownBy(() -> client.webSocket(URI.create("http://127.0.0.1/"), new Events()).join())
        .cause().isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anHttpSignedUpgradeAndKeepAlivePings() throws Exception {
    Events events = new Events();
    SignetWebSocket ws = client(new Credentials.Bot(UID, SID, session, null)).httpSignatures(true).build()
        .webSocket(uri("/stream"), events, SignetWebSocket.Options.defaults().withPingInterval(Duration.ofMillis(50)))
        .get(10, TimeUnit.SECONDS);
    assertThat(events.next()).isEqualTo("open ");
    assertThat(upgrades).containsExactly("http-signature " + UID + " /stream");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pings.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pings).as("pings while idle").hasSizeGreaterThanOrEqualTo(2);
    ws.close();
  }
}
