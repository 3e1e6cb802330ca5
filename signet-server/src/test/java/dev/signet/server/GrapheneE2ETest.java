package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.RpcNodeDouble;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphene logins over real HTTP, with chain data from a local JSON-RPC node double. */
class GrapheneE2ETest {
  static final String SEED_004 = RpcNodeDouble.SEED_004_LOGIN;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  SignetServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(String rpc) {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.resolve("data").toString(), "SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
        "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", rpc));
    server = SignetServer.start(ConfigLoader.load(null, env), Clock.systemUTC(), "test-admin-token-0123456789");
  }

  JsonNode send(String method, String target, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  static String deadUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void theSeedLoginTradesOnceForAnAccessToken() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      start(deadUrl() + "," + node.url());
      JsonNode status = send("GET", "/currentUser", null, null).get("data");
      assertThat(status.get("logged_in").asBoolean()).isFalse();
      assertThat(status.get("auth_identifier").asText()).isEqualTo("alivedb_login");
      assertThat(status.get("networks").get(0).asText()).isEqualTo("hive");
      assertThat(status.get("auth_timeout_blocks").asInt()).isEqualTo(20);

      JsonNode token = send("POST", "/getToken", SEED_004, null).get("data");
      assertThat(token.get("expires_at").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
      String access = token.get("access_token").asText();
      assertThat(send("POST", "/getToken", "{\"payload\":\"" + SEED_004 + "\"}", null).at("/error/description").asText())
          .startsWith("replayed");

      JsonNode me = send("GET", "/currentUser", null, access).get("data");
      assertThat(me.get("logged_in").asBoolean()).isTrue();
      assertThat(me.get("user").asText()).isEqualTo("aliveprotocol");
      assertThat(me.get("link").asText()).isEqualTo("link1");
      assertThat(me.get("network").asText()).isEqualTo("hive");
      JsonNode viaMe = send("GET", "/me", null, access).get("data");
      assertThat(viaMe.get("scheme").asText()).isEqualTo("graphene");
      assertThat(viaMe.get("user_id").asText()).isEqualTo("aliveprotocol");
      String forged = access.substring(0, access.lastIndexOf('.') + 1) + "A".repeat(86);
      assertThat(send("GET", "/me", null, forged).at("/error/description").asText()).startsWith("bad_signature");
    }
  }

  @Test
  void refusalsNameTheCheck() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      start(node.url());
      assertThat(send("POST", "/getToken", SEED_004.replace("alivedb_login", "other_login"), null).at("/error/description").asText())
          .startsWith("auth_identifier");
      assertThat(send("POST", "/getToken", SEED_004.replace(":link1:", ":link2:"), null).at("/error/description").asText())
          .startsWith("authority");
      assertThat(send("POST", "/getToken", "garbage", null).at("/error/status").asInt()).isEqualTo(401);
      assertThat(send("POST", "/getToken", "{\"payload\":1}", null).at("/error/status").asInt()).isEqualTo(400);
      assertThat(send("POST", "/getToken", null, null).at("/error/status").asInt()).isEqualTo(400);
    }
  }

  @Test
  void noReachableNodeFailsClosed() throws Exception {
    start(deadUrl());
    JsonNode r = send("POST", "/getToken", SEED_004, null);
    assertThat(r.at("/error/status").asInt()).isEqualTo(503);
    assertThat(r.at("/error/description").asText()).startsWith("unavailable");
  }
}
