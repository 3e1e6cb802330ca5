package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.dpop.DpopSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.httpsig.HttpSignatureSigner;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.RpcNodeDouble;
import dev.signet.server.testing.WsUpstream;
import dev.signet.testing.Fixtures;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every credential a route accepts opens a WebSocket the same way (OAuth, service tokens, RFC 9421
 * signatures, DPoP-bound Graphene tokens), and revoking an OAuth authorization or a service key
 * closes the connections it opened. Also: a paused upstream stops Signet reading from the client.
 */
class WebSocketCredentialsE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path dir;

  static RpcNodeDouble node;
  static WsUpstream upstream;
  static LocalServer server;
  static Vertx vertx;
  static WebSocketClient client;
  static String uid;

  @BeforeAll
  static void start() throws Exception {
    node = new RpcNodeDouble();
    upstream = new WsUpstream(List.of());
    server = new LocalServer(dir, "routes:\n  - {prefix: /, upstream: \"ws://127.0.0.1:" + upstream.port() + "\", websocket: true}\n",
        Map.of("SIGNET_KEYS_CACHE_SECONDS", "1", "SIGNET_VERIFICATION_AUDIENCE", "api.example", "SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
            "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url()));
    uid = server.newUser("ws-credentials");
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    upstream.close();
    node.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** An open connection and its close, as "CODE REASON". */
  record Conn(WebSocket ws, CompletableFuture<String> closed) {}

  static Conn open(String target, Map<String, String> headers) throws Exception {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port()).setURI(target);
    headers.forEach(o::addHeader);
    WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() + " " + ws.closeReason()));
    return new Conn(ws, closed);
  }

  /** The identity headers the upstream got for the connection opened last. */
  static MultiMap upstreamSaw(int before) throws InterruptedException {
    return upstream.handshake(before);
  }

  static int refusedStatus(String target, Map<String, String> headers) throws Exception {
    try {
      open(target, headers).ws().close();
    } catch (ExecutionException e) {
      return ((UpgradeRejectedException) e.getCause()).getStatus();
    }
    throw new AssertionError("the upgrade was accepted");
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  @Test
  void oauthAndServiceTokensOpenConnectionsThatTheirRevocationCloses() throws Exception {
    Ed25519PrivateKey oauthKey = Ed25519PrivateKey.generate(RANDOM);
    String app = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
    String aid = server.adminOk("POST", "/admin/oauth/authorizations", JSON.writeValueAsString(Map.of("app_id", app, "user_id", uid,
        "public_key", oauthKey.publicKey().toHex(), "scopes", List.of("PROFILE:READ")))).get("authorization_id").asText();
    MixinOAuthSigner oauth = new MixinOAuthSigner(app, aid, oauthKey, Clock.systemUTC());
    int before = upstream.handshakes.size();
    Conn o = open("/oauth", bearer(oauth.sign("GET", "/oauth", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ"))));
    assertThat(upstreamSaw(before).get("X-Signet-Scheme")).isEqualTo("mixin-oauth");
    assertThat(upstreamSaw(before).get("X-Signet-User")).isEqualTo(uid);

    RsaPrivateKey rsa = RsaPrivateKey.generate(2048, RANDOM);
    server.adminOk("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org-ws", "kid", "k1",
        "public_key", rsa.publicKey().toPkcs1Pem())));
    ServiceTokenSigner svc = new ServiceTokenSigner("org-ws", "k1", "api.example", rsa, Clock.systemUTC(), Duration.ofMinutes(10));
    before = upstream.handshakes.size();
    Conn s = open("/service", bearer(svc.sign("user-ws")));
    assertThat(upstreamSaw(before).get("X-Signet-Scheme")).isEqualTo("service");
    assertThat(upstreamSaw(before).get("X-Signet-User")).isEqualTo("user-ws");

    server.adminOk("DELETE", "/admin/oauth/authorizations/" + aid, null);
    assertThat(o.closed().get(5, TimeUnit.SECONDS)).isEqualTo("1008 revoked: the OAuth authorization or its user no longer stands");
    assertThat(s.closed().isDone()).as("the service key still stands").isFalse();
    server.adminOk("DELETE", "/admin/service-keys/org-ws/k1", null);
    assertThat(s.closed().get(5, TimeUnit.SECONDS)).isEqualTo("1008 revoked: the service key no longer stands");
  }

  @Test
  void rfc9421SignaturesAndDpopBoundGrapheneTokensOpenConnectionsOnce() throws Exception {
    Ed25519PrivateKey key = Fixtures.newEd25519();
    String sid = server.newSession(uid, key.publicKey().toBase64Url());
    HttpSignatureSigner signer = new HttpSignatureSigner(sid, key, Clock.systemUTC(), new SecureRandom());
    Map<String, String> signed = signer.sign("GET", URI.create(server.base() + "/signed?x=1"), null);
    int before = upstream.handshakes.size();
    open("/signed?x=1", signed).ws().close();
    assertThat(upstreamSaw(before).get("X-Signet-Scheme")).isEqualTo("http-signature");
    assertThat(refusedStatus("/signed?x=1", signed)).as("a signature opens one connection").isEqualTo(401);
    assertThat(refusedStatus("/signed?x=2", signer.sign("GET", URI.create(server.base() + "/signed?x=1"), null))).isEqualTo(401);

    DpopSigner dpop = DpopSigner.ed25519(Fixtures.newEd25519(), Clock.systemUTC());
    String token = DpopE2ETest.login(server, dpop.proof("POST", server.base() + "/getToken", null, null), "DPoP");
    Map<String, String> h = new HashMap<>(Map.of("Authorization", "DPoP " + token,
        "DPoP", dpop.proof("GET", server.base() + "/feed", token, null)));
    before = upstream.handshakes.size();
    open("/feed", h).ws().close();
    assertThat(upstreamSaw(before).get("X-Signet-Scheme")).isEqualTo("graphene");
    assertThat(refusedStatus("/feed", h)).as("a proof opens one connection").isEqualTo(401);
    assertThat(refusedStatus("/feed", Map.of("Authorization", "DPoP " + token))).as("no proof").isEqualTo(401);
  }

  @Test
  void aPausedUpstreamStopsSignetReadingFromTheClient() throws Exception {
    Ed25519PrivateKey key = Fixtures.newEd25519();
    String sid = server.newSession(uid, key.publicKey().toBase64Url());
    var signer = new dev.signet.scheme.mixin.MixinBotSigner(uid, sid, dev.signet.jwt.JwsSigner.eddsa(key), Clock.systemUTC());
    int before = upstream.handshakes.size();
    Conn c = open("/slow", bearer(signer.sign("GET", "/slow", new byte[0], TokenOptions.defaults())));
    upstream.handshake(before);
    var up = upstream.connections.get(before);
    up.pause();
    // 128 MiB toward an upstream that reads nothing, written as fast as the client's socket takes
    // it: the kernel's buffers on the way hold some MiB, Signet's write queue 64 KiB; the rest must
    // wait in the client, because Signet stops reading.
    int chunks = 2048;
    io.vertx.core.buffer.Buffer chunk = io.vertx.core.buffer.Buffer.buffer(new byte[64 * 1024]);
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (sent.get() < chunks && !c.ws().writeQueueFull()) {
        c.ws().writeBinaryMessage(chunk);
        sent.incrementAndGet();
      }
      if (sent.get() < chunks) {
        c.ws().drainHandler(v -> pump[0].run());
      }
    };
    vertx.runOnContext(v -> pump[0].run());
    Thread.sleep(3000);
    int stalled = sent.get();
    Thread.sleep(1000);
    assertThat(sent.get()).as("the client is held back: nothing more went in a second").isEqualTo(stalled);
    assertThat(stalled).as("64 KiB messages sent before the client was held back").isLessThan(chunks / 2);
    up.resume();
    long until = System.currentTimeMillis() + 30_000;
    while (sent.get() < chunks && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertThat(sent.get()).as("all sent once the upstream reads again").isEqualTo(chunks);
    c.ws().close();
  }
}
