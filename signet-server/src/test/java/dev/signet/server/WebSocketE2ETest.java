package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.WsUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket routes end to end: verified upgrades, frames relayed both ways, refusals as HTTP answers, closes with reasons. */
class WebSocketE2ETest {
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path dir;

  static WsUpstream upstream;
  static LocalServer server;
  static Vertx vertx;
  static WebSocketClient client;
  static MixinBotSigner signer;
  static String uid;
  static String sid;

  @BeforeAll
  static void start() throws Exception {
    upstream = new WsUpstream(List.of("other", "Mixin-Blaze-1"));
    String ws = "ws://127.0.0.1:" + upstream.port();
    server = new LocalServer(dir, String.join("\n",
        "websocket: {max_message_bytes: 4096, idle_timeout_seconds: 3}",
        "limits: {idle_timeout_seconds: 1}",
        "routes:",
        "  - {prefix: /, upstream: \"" + ws + "\", websocket: true}",
        "  - {prefix: /scoped, upstream: \"" + ws + "\", websocket: true, scopes: [ASSETS:READ]}",
        "  - {prefix: /down, upstream: \"ws://127.0.0.1:9\", websocket: true}") + "\n",
        Map.of("SIGNET_KEYS_CACHE_SECONDS", "1"));
    uid = server.newUser("ws");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    sid = server.newSession(uid, key.publicKey().toBase64Url());
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A connection and what it received: frames, then its close code and reason. */
  record Conn(WebSocket ws, BlockingQueue<WebSocketFrame> frames, CompletableFuture<String> closed) {
    WebSocketFrame next() throws InterruptedException {
      WebSocketFrame f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 10 s").isNotNull();
      return f;
    }

    String closeWithin(int seconds) throws Exception {
      return closed.get(seconds, TimeUnit.SECONDS);
    }
  }

  static WebSocketConnectOptions options(String target, String token, List<String> protocols, Map<String, String> headers) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI(target);
    if (token != null) {
      o.addHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(o::addHeader);
    if (!protocols.isEmpty()) {
      o.setSubProtocols(protocols);
    }
    return o;
  }

  static String token(String target, TokenOptions options) {
    return signer.sign("GET", target, new byte[0], options);
  }

  static Conn open(WebSocketConnectOptions o) throws Exception {
    BlockingQueue<WebSocketFrame> frames = new LinkedBlockingQueue<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.frameHandler(f -> {
      if (!f.isClose()) {
        frames.add(f);
      }
    });
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() + " " + ws.closeReason()));
    return new Conn(ws, frames, closed);
  }

  static Conn open(String target) throws Exception {
    return open(options(target, token(target, TokenOptions.defaults()), List.of(), Map.of()));
  }

  /** The status and body of a refused upgrade. */
  static UpgradeRejectedException refused(WebSocketConnectOptions o) throws Exception {
    try {
      client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).close();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
      return (UpgradeRejectedException) e.getCause();
    }
    throw new AssertionError("the upgrade was accepted");
  }

  /** The whole answer to an unsigned upgrade request, as the bytes came. */
  static String rawUpgrade(String target) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void relaysEveryFrameBothWaysWithTheIdentityAndTheUpstreamsSubprotocol() throws Exception {
    int before = upstream.handshakes.size();
    String target = "/stream?x=1&y=%20";
    Conn c = open(options(target, token(target, TokenOptions.defaults()), List.of("unknown-1", "other"),
        Map.of("X-Signet-User", "someone-else", "X-Custom", "kept")));
    // The upstream picks from the offered list ("other": it does not speak the first), which Signet returns.
    assertThat(c.ws().subProtocol()).isEqualTo("other");
    MultiMap h = upstream.handshake(before);
    assertThat(h.get(":path")).isEqualTo(target);
    assertThat(h.getAll("X-Signet-User")).containsExactly(uid);
    assertThat(h.get("X-Signet-Session")).isEqualTo(sid);
    assertThat(h.get("X-Signet-Scheme")).isEqualTo("mixin-bot");
    assertThat(h.get("X-Signet-Identity")).startsWith("eyJ");
    assertThat(h.get("X-Custom")).isEqualTo("kept");
    assertThat(h.contains("Authorization")).isFalse();
    assertThat(h.get("Sec-WebSocket-Protocol")).isEqualTo("unknown-1,other");

    c.ws().writeFinalTextFrame("hello");
    WebSocketFrame text = c.next();
    assertThat(text.isText()).isTrue();
    assertThat(text.textData()).isEqualTo("hello");
    byte[] bytes = new byte[3000];
    RANDOM.nextBytes(bytes);
    c.ws().writeFinalBinaryFrame(Buffer.buffer(bytes));
    WebSocketFrame binary = c.next();
    assertThat(binary.isBinary()).isTrue();
    assertThat(binary.binaryData().getBytes()).isEqualTo(bytes);
    // Fragments arrive as the fragments they were.
    c.ws().writeFrame(WebSocketFrame.textFrame("frag-", false));
    c.ws().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ment"), true));
    WebSocketFrame first = c.next();
    WebSocketFrame second = c.next();
    assertThat(first.isText() && !first.isFinal()).isTrue();
    assertThat(first.textData()).isEqualTo("frag-");
    assertThat(second.isContinuation() && second.isFinal()).isTrue();
    assertThat(second.binaryData().toString()).isEqualTo("ment");
    c.ws().writePing(Buffer.buffer("p1"));
    WebSocketFrame pong = c.next();
    assertThat(pong.type()).isEqualTo(io.vertx.core.http.WebSocketFrameType.PONG);
    assertThat(pong.binaryData().toString()).isEqualTo("p1");
    assertThat(server.call("GET", "/metrics", null, Map.of()).body())
        .containsPattern("signet_websocket_connections\\{scheme=\"mixin-bot\"} [1-9]")
        .containsPattern("signet_websocket_frames_total\\{direction=\"up\"} [1-9]");
    c.ws().writeFinalTextFrame("close 4001 upstream says bye");
    assertThat(c.closeWithin(10)).isEqualTo("4001 upstream says bye");
  }

  @Test
  void aClientsCloseReachesTheUpstreamWithItsCodeAndReason() throws Exception {
    int before = upstream.connections.size();
    Conn c = open("/close-test");
    c.ws().close((short) 4002, "client says bye");
    c.closeWithin(10);
    upstream.handshake(before);
    var up = upstream.connections.get(before);
    long until = System.currentTimeMillis() + 5000;
    while (up.closeStatusCode() == null && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertThat(up.closeStatusCode()).isEqualTo((short) 4002);
    assertThat(up.closeReason()).isEqualTo("client says bye");
  }

  @Test
  void refusalsAreTheHttpAnswersARouteGivesNeverA101() throws Exception {
    int before = upstream.handshakes.size();
    assertThat(refused(options("/x", null, List.of(), Map.of())).getStatus()).isEqualTo(401);
    String raw = rawUpgrade("/x");
    assertThat(raw).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Bearer").contains("\"status\":401")
        .doesNotContainIgnoringCase("sec-websocket-accept");

    String t = token("/x", TokenOptions.defaults());
    open(options("/x", t, List.of(), Map.of())).ws().close();
    assertThat(refused(options("/x", t, List.of(), Map.of())).getBody().toString()).contains("replay");
    assertThat(refused(options("/y", token("/x", TokenOptions.defaults()), List.of(), Map.of())).getStatus()).isEqualTo(401);
    UpgradeRejectedException scope = refused(options("/scoped/feed", token("/scoped/feed", TokenOptions.defaults().withScope("PROFILE:READ")),
        List.of(), Map.of()));
    assertThat(scope.getStatus()).isEqualTo(403);
    assertThat(upstream.handshakes).hasSize(before + 1);

    WebSocket scoped = open(options("/scoped/feed", token("/scoped/feed", TokenOptions.defaults().withScope("ASSETS:READ")), List.of(),
        Map.of())).ws();
    assertThat(scoped.isClosed()).isFalse();
    scoped.close();
    UpgradeRejectedException down = refused(options("/down/x", token("/down/x", TokenOptions.defaults()), List.of(), Map.of()));
    assertThat(down.getStatus()).isEqualTo(502);
    assertThat(down.getBody().toString()).contains("upstream_unavailable");
  }

  @Test
  void signetsOwnEndpointsAnswerBesideTheSlashRoute() throws Exception {
    assertThat(server.call("GET", "/healthz", null, Map.of()).status()).isEqualTo(200);
    assertThat(server.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0], TokenOptions.defaults())).status()).isEqualTo(200);
    LocalServer.Reply plain = server.call("GET", "/anything", null, Map.of());
    assertThat(plain.status()).isEqualTo(426);
    assertThat(plain.description()).startsWith("upgrade_required");
  }

  @Test
  void messagesOverTheLimitCloseWith1009() throws Exception {
    Conn c = open("/big");
    c.ws().writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[3000]), false));
    c.ws().writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[3000]), true));
    assertThat(c.closeWithin(10)).startsWith("1009 message larger than 4096");
  }

  @Test
  void anIdleConnectionClosesAfterTheWebSocketTimeoutNotTheHttpOne() throws Exception {
    Conn c = open("/idle");
    Thread.sleep(1500); // past limits.idle_timeout_seconds (1), within websocket.idle_timeout_seconds (3)
    c.ws().writeFinalTextFrame("still here");
    assertThat(c.next().textData()).isEqualTo("still here");
    assertThat(c.closeWithin(10)).isEqualTo("1001 idle for 3 s");
  }

  @Test
  void revokingTheSessionClosesItsConnectionsWith1008() throws Exception {
    String user = server.newUser("revoked");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String session = server.newSession(user, key.publicKey().toBase64Url());
    MixinBotSigner other = new MixinBotSigner(user, session, JwsSigner.eddsa(key), Clock.systemUTC());
    Conn kept = open("/kept");
    Conn c = open(options("/feed", other.sign("GET", "/feed", new byte[0], TokenOptions.defaults()), List.of(), Map.of()));
    server.adminOk("DELETE", "/admin/sessions/" + session, null);
    long start = System.nanoTime();
    assertThat(c.closeWithin(10)).isEqualTo("1008 revoked: the session or its user no longer stands");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
    kept.ws().writeFinalTextFrame("unaffected");
    assertThat(kept.next().textData()).isEqualTo("unaffected");
    kept.ws().close();
  }
}
