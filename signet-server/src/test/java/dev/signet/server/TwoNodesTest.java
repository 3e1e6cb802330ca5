package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes sharing the real PostgreSQL and Redis on loopback, each test in its own schema and prefix. */
class TwoNodesTest {
  static final String PG = System.getProperty("signet.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String REDIS = System.getProperty("signet.test.redis.url", "redis://127.0.0.1:6379");
  static final String ADMIN = LocalServer.ADMIN;
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  String schema;
  LocalServer a;
  LocalServer b;

  LocalServer node(String name) throws InterruptedException {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.resolve(name).toString(), "SIGNET_STORE_TYPE", "postgres", "SIGNET_STORE_URL", PG,
        "SIGNET_STORE_USER", "postgres", "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis",
        "SIGNET_REPLAY_URL", REDIS, "SIGNET_REPLAY_PREFIX", schema + ":"));
    env.put("SIGNET_KEYS_CACHE_SECONDS", "1");
    return new LocalServer(dir, env);
  }

  @BeforeEach
  void start() throws InterruptedException {
    schema = "signet_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    a = node("a");
    // Tokens issued in the second the replay epoch began (node a's start, on a new prefix) are stale: each start waits it out.
    b = node("b");
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  /** The envelope of a call made from a task that cannot throw. */
  static JsonNode send(LocalServer node, String method, String target, String body, String bearer) {
    try {
      return node.bearer(method, target, body, bearer).json();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String outcome(JsonNode r) {
    return r.has("data") ? "ok" : r.at("/error/description").asText().split(":")[0];
  }

  @Test
  void aTokenSentToBothNodesAtOnceIsAcceptedOnce() {
    String uid = send(a, "POST", "/admin/users", "{}", ADMIN).at("/data/user_id").asText();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    JsonNode s = send(b, "POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}", ADMIN);
    String sid = s.at("/data/session_id").asText();
    MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    for (int round = 0; round < 40; round++) {
      String token = signer.sign("GET", "/me", new byte[0]);
      CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> outcome(send(a, "GET", "/me", null, token)));
      CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> outcome(send(b, "GET", "/me", null, token)));
      assertThat(List.of(onA.join(), onB.join())).as("round " + round).containsExactlyInAnyOrder("ok", "replayed");
    }

    // A revocation on node A reaches node B within keys.cache_seconds (1 s here).
    assertThat(outcome(send(b, "GET", "/me", null, signer.sign("GET", "/me", new byte[0])))).isEqualTo("ok");
    assertThat(outcome(send(a, "DELETE", "/admin/sessions/" + sid, null, ADMIN))).isEqualTo("ok");
    long deadline = System.currentTimeMillis() + 3000;
    String last = "ok";
    while (System.currentTimeMillis() < deadline && last.equals("ok")) {
      last = outcome(send(b, "GET", "/me", null, signer.sign("GET", "/me", new byte[0])));
    }
    assertThat(last).isEqualTo("unknown_key");
  }

  @Test
  void aPinBlockRacedAcrossNodesSucceedsOnce() {
    String uid = send(a, "POST", "/admin/users", "{}", ADMIN).at("/data/user_id").asText();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    JsonNode s = send(a, "POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}", ADMIN);
    send(a, "PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}", ADMIN);
    MixinBotSigner signer = new MixinBotSigner(uid, s.at("/data/session_id").asText(), JwsSigner.eddsa(key), Clock.systemUTC());
    X25519PublicKey pinToken = X25519PublicKey.parse(s.at("/data/pin_token").asText());
    for (int round = 1; round <= 10; round++) {
      String block = PinCipher.encrypt(PinCipher.digits("123456"), System.currentTimeMillis() / 1000, round, key, pinToken, RANDOM);
      String body = "{\"pin\":\"" + block + "\"}";
      List<CompletableFuture<String>> racing = List.of(a, b, a, b).stream().map(node -> CompletableFuture.supplyAsync(() ->
          outcome(send(node, "POST", "/pin/verify", body, signer.sign("POST", "/pin/verify", body.getBytes(StandardCharsets.UTF_8))))))
          .toList();
      List<String> outcomes = racing.stream().map(CompletableFuture::join).toList();
      assertThat(outcomes).as("round " + round).filteredOn("ok"::equals).hasSize(1);
      assertThat(outcomes).as("round " + round + ": " + outcomes).filteredOn("pin_iterator"::equals).hasSize(3);
    }
  }
}
