package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  static final String ADMIN = "shared-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  String schema;
  SignetServer a;
  SignetServer b;

  SignetServer node(String name) {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.resolve(name).toString(), "SIGNET_STORE_TYPE", "postgres", "SIGNET_STORE_URL", PG,
        "SIGNET_STORE_USER", "postgres", "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis",
        "SIGNET_REPLAY_URL", REDIS, "SIGNET_REPLAY_PREFIX", schema + ":"));
    env.put("SIGNET_KEYS_CACHE_SECONDS", "1");
    return SignetServer.start(ConfigLoader.load(null, env), Clock.systemUTC(), ADMIN);
  }

  @BeforeEach
  void start() throws InterruptedException {
    schema = "signet_nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    a = node("a");
    b = node("b");
    // Tokens issued in the second the replay epoch began (node a's start, on a new prefix) are stale.
    Thread.sleep(1100);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  static JsonNode send(SignetServer node, String method, String target, String body, String bearer) {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + target))
          .header("Authorization", "Bearer " + bearer)
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
      return JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body());
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
