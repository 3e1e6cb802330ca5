package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.server.testing.TcpProxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis or PostgreSQL unreachable: no request is accepted, none gets a 500, and the node recovers. */
class OutageTest {
  static final String ADMIN = LocalServer.ADMIN;

  @TempDir
  Path dir;

  TcpProxy redis;
  TcpProxy postgres;
  String schema;
  LocalServer node;
  MixinBotSigner signer;

  @BeforeEach
  void start() throws Exception {
    redis = new TcpProxy(6379);
    postgres = new TcpProxy(5432);
    schema = "signet_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.toString(), "SIGNET_STORE_TYPE", "postgres",
        "SIGNET_STORE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/test", "SIGNET_STORE_USER", "postgres",
        "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_URL", "redis://127.0.0.1:" + redis.port(),
        "SIGNET_REPLAY_PREFIX", schema + ":"));
    env.put("SIGNET_KEYS_CACHE_SECONDS", "0");
    // Tokens issued in the second the replay epoch began (this node's start, on a new prefix) are stale: the start waits it out.
    node = new LocalServer(dir, env);
    String uid = node.newUser("outage");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new java.security.SecureRandom());
    String sid = node.newSession(uid, key.publicKey().toBase64Url());
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    redis.close();
    postgres.close();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
         Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  Reply me() throws Exception {
    return node.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0]));
  }

  int health() throws Exception {
    return node.call("GET", "/healthz", null, Map.of()).status();
  }

  /** /healthz answers the last check, made once a second: it turns within a few seconds, and stays. */
  void healthTurns(int expected) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (health() != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertThat(health()).isEqualTo(expected);
  }

  void recovers() throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    int status = 0;
    while (System.currentTimeMillis() < deadline && status != 200) {
      status = me().status();
      if (status != 200) {
        assertThat(status).isEqualTo(503);
        Thread.sleep(200);
      }
    }
    assertThat(status).as("recovered").isEqualTo(200);
  }

  @Test
  void redisDownMeans503AndRecovery() throws Exception {
    assertThat(me().status()).isEqualTo(200);
    redis.down();
    for (int i = 0; i < 10; i++) {
      Reply r = me();
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().at("/error/description").asText()).startsWith("unavailable");
    }
    healthTurns(503);
    assertThat(me().status()).as("still refused while /healthz says so").isEqualTo(503);
    redis.up();
    recovers();
    healthTurns(200);
  }

  @Test
  void postgresDownMeans503AndRecovery() throws Exception {
    assertThat(me().status()).isEqualTo(200);
    postgres.down();
    for (int i = 0; i < 3; i++) {
      Reply r = me();
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().at("/error/description").asText()).startsWith("unavailable");
    }
    assertThat(node.admin("POST", "/admin/users", "{}").json().at("/error/status").asInt()).isEqualTo(503);
    healthTurns(503);
    postgres.up();
    recovers();
    healthTurns(200);
  }
}
