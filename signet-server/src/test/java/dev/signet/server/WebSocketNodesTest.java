package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.WsUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relayed WebSocket connections on two nodes sharing PostgreSQL and Redis: revoking a session on
 * one node closes its connection on the other; a connection's lifetime is bounded; SIGTERM closes
 * connections with 1001.
 */
class WebSocketNodesTest {
  static final String PG = TwoNodesTest.PG;
  static final String REDIS = TwoNodesTest.REDIS;

  @TempDir
  Path dir;

  String schema;
  WsUpstream upstream;
  LocalServer a;
  LocalServer b;
  Vertx vertx;
  WebSocketClient client;

  LocalServer node(String name) throws InterruptedException {
    String yaml = "websocket: {max_connection_seconds: 5}\nroutes:\n  - {prefix: /, upstream: \"ws://127.0.0.1:" + upstream.port()
        + "\", websocket: true}\n";
    return new LocalServer(dir, yaml, Map.of("SIGNET_DATA_DIR", dir.resolve(name).toString(), "SIGNET_STORE_TYPE", "postgres",
        "SIGNET_STORE_URL", PG, "SIGNET_STORE_USER", "postgres", "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis",
        "SIGNET_REPLAY_URL", REDIS, "SIGNET_REPLAY_PREFIX", schema + ":", "SIGNET_KEYS_CACHE_SECONDS", "1",
        "SIGNET_SHUTDOWN_DRAIN_SECONDS", "0"));
  }

  @BeforeEach
  void start() throws Exception {
    schema = "signet_ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    upstream = new WsUpstream(List.of());
    a = node("a");
    b = node("b");
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    upstream.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  record Session(String uid, String sid, MixinBotSigner signer) {}

  Session session(LocalServer on) throws Exception {
    String uid = on.newUser("ws-" + UUID.randomUUID());
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    String sid = on.newSession(uid, key.publicKey().toBase64Url());
    return new Session(uid, sid, new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()));
  }

  /** Opens {@code target} on {@code node}; the future completes with "code reason" when it closes. */
  CompletableFuture<String> open(LocalServer node, Session s, String target) throws Exception {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(target)
        .addHeader("Authorization", "Bearer " + s.signer().sign("GET", target, new byte[0], TokenOptions.defaults()));
    WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() + " " + ws.closeReason()));
    return closed;
  }

  @Test
  void revokingOnOneNodeClosesTheConnectionOnTheOther() throws Exception {
    Session s = session(a);
    Session other = session(a);
    CompletableFuture<String> revoked = open(a, s, "/feed");
    CompletableFuture<String> kept = open(a, other, "/feed");
    b.adminOk("DELETE", "/admin/users/" + s.uid(), null);
    long start = System.nanoTime();
    assertThat(revoked.get(10, TimeUnit.SECONDS)).isEqualTo("1008 revoked: the session or its user no longer stands");
    // keys.cache_seconds (1) + the once-a-second sweep, with room for a loaded machine.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3500);
    assertThat(kept).isNotDone();
  }

  @Test
  void aConnectionsLifeIsBoundedAndSigtermClosesWith1001() throws Exception {
    Session s = session(b);
    CompletableFuture<String> onB = open(b, s, "/life");
    long start = System.nanoTime();
    assertThat(onB.get(15, TimeUnit.SECONDS)).isEqualTo("1001 connection lifetime over");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isBetween(3L, 8L);

    CompletableFuture<String> onA = open(a, s, "/term");
    CompletableFuture.runAsync(a.server()::shutdown);
    assertThat(onA.get(15, TimeUnit.SECONDS)).isEqualTo("1001 server shutting down");
  }
}
