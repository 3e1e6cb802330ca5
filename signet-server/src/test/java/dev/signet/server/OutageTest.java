package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  static final String ADMIN = "shared-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  TcpProxy redis;
  TcpProxy postgres;
  String schema;
  SignetServer node;
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
    node = SignetServer.start(ConfigLoader.load(null, env), Clock.systemUTC(), ADMIN);
    String uid = send("POST", "/admin/users", ADMIN).at("/data/user_id").asText();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new java.security.SecureRandom());
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/admin/users/" + uid + "/sessions"))
        .header("Authorization", "Bearer " + ADMIN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}")).build();
    String sid = JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body()).at("/data/session_id").asText();
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    // Tokens issued in the second the replay epoch began (this node's start, on a new prefix) are stale.
    Thread.sleep(1100);
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

  /** The status of one request, and its envelope. */
  record Reply(int status, JsonNode json) {}

  Reply me() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/me"))
        .header("Authorization", "Bearer " + signer.sign("GET", "/me", new byte[0])).build();
    HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    return new Reply(resp.statusCode(), JSON.readTree(resp.body()));
  }

  JsonNode send(String method, String target, String bearer) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + target))
        .header("Authorization", "Bearer " + bearer).method(method, HttpRequest.BodyPublishers.ofString("{}")).build();
    return JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body());
  }

  int health() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
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
    assertThat(health()).isEqualTo(503);
    redis.up();
    recovers();
    assertThat(health()).isEqualTo(200);
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
    assertThat(send("POST", "/admin/users", ADMIN).at("/error/status").asInt()).isEqualTo(503);
    assertThat(health()).isEqualTo(503);
    postgres.up();
    recovers();
  }
}
