package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.RpcNodeDouble;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphene logins over real HTTP, with chain data from a local JSON-RPC node double. */
class GrapheneE2ETest {
  static final String SEED_004 = RpcNodeDouble.SEED_004_LOGIN;

  @TempDir
  Path dir;

  LocalServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(String rpc) throws InterruptedException {
    server = new LocalServer(dir, Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
        "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", rpc));
  }

  JsonNode send(String method, String target, String body, String bearer) throws Exception {
    return (bearer == null ? server.call(method, target, body, Map.of()) : server.bearer(method, target, body, bearer)).json();
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
