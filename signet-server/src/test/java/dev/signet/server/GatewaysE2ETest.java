package dev.signet.server;

import static dev.signet.server.testing.Deployment.bearer;
import static dev.signet.server.testing.LocalServer.sendTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.server.testing.Deployment;
import dev.signet.server.testing.LocalServer.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real gateways from Debian's packages in front of an upstream, delegating to the decision API:
 * nginx ({@code auth_request}) and Caddy ({@code forward_auth}), with the configurations docs/integrations.md
 * shows. {@code .ci/run} installs both; a test skips, saying so, only where the binary is missing.
 */
class GatewaysE2ETest {
  @TempDir
  Path dir;
  Deployment d;
  Process gateway;

  @BeforeEach
  void start() throws Exception {
    d = new Deployment(dir, List.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      gateway.waitFor(10, TimeUnit.SECONDS);
    }
    d.close();
  }

  @Test
  void nginxAuthRequest() throws Exception {
    assumeTrue(binary("/usr/sbin/nginx"), "nginx is not installed (apt-get install nginx): skipping the nginx gateway test");
    int port = freePort();
    Path conf = dir.resolve("nginx.conf");
    dev.signet.server.testing.WsUpstream ws = new dev.signet.server.testing.WsUpstream(List.of("Mixin-Blaze-1"));
    Files.writeString(conf, fill("/gateways/nginx.conf", port).replace("DIR", dir.toString()).replace("WS_BACKEND", String.valueOf(ws.port())));
    gateway = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    awaitPort(port, "nginx");
    commonChecks(port);
    // nginx's auth_request forwards no body: a token signed over one is refused, and says why.
    Reply post = sendTo(port, "POST", "/transfers", "{\"amount\":\"1\"}", bearer(d.token("POST", "/transfers", "{\"amount\":\"1\"}"), Map.of()));
    assertThat(post.status()).isEqualTo(401);
    assertThat(d.send("GET", "/metrics", null, Map.of()).body()).contains("outcome=\"request_mismatch\"");
    try {
      webSocketUpgrades(port, ws);
    } finally {
      ws.close();
    }
  }

  /** nginx relays the WebSocket itself; the decision API authorises the upgrade as a GET of its URI. */
  void webSocketUpgrades(int port, dev.signet.server.testing.WsUpstream ws) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
      String token = d.token("GET", "/ws/feed?x=1", null);
      io.vertx.core.http.WebSocket socket = client.connect(new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/ws/feed?x=1").addHeader("Authorization", "Bearer " + token).addHeader("X-Signet-User", "forged")
              .setSubProtocols(List.of("Mixin-Blaze-1")))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(socket.subProtocol()).isEqualTo("Mixin-Blaze-1");
      io.vertx.core.MultiMap h = ws.handshake(0);
      assertThat(h.getAll("X-Signet-User")).containsExactly(d.uid);
      assertThat(h.get("X-Signet-Identity")).startsWith("eyJ");
      assertThat(h.contains("Authorization")).isFalse();
      java.util.concurrent.CompletableFuture<String> echo = new java.util.concurrent.CompletableFuture<>();
      socket.textMessageHandler(echo::complete);
      socket.writeTextMessage("through nginx");
      assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("through nginx");
      socket.close();
      for (String refused : new String[] {token, null}) {
        io.vertx.core.http.WebSocketConnectOptions o = new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/ws/feed?x=1");
        if (refused != null) {
          o.addHeader("Authorization", "Bearer " + refused);
        }
        assertThat(client.connect(o).toCompletionStage().toCompletableFuture().handle((s, e) -> e).get(10, TimeUnit.SECONDS))
            .as("a replayed or missing token is refused before the upgrade").isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class)
            .satisfies(e -> assertThat(((io.vertx.core.http.UpgradeRejectedException) e).getStatus()).isEqualTo(401));
      }
      assertThat(ws.handshakes).hasSize(1);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void caddyForwardAuth() throws Exception {
    assumeTrue(binary("/usr/bin/caddy"), "caddy is not installed (apt-get install caddy): skipping the Caddy gateway test");
    int port = freePort();
    Path conf = dir.resolve("Caddyfile");
    Files.writeString(conf, fill("/gateways/Caddyfile", port));
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/caddy", "run", "--config", conf.toString(), "--adapter", "caddyfile")
        .redirectErrorStream(true).redirectOutput(dir.resolve("caddy.out").toFile());
    // Caddy keeps state under $HOME / $XDG_*: keep it in the test's directory.
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    gateway = pb.start();
    awaitPort(port, "caddy");
    commonChecks(port);
    // forward_auth sends no body either; Caddy hands the client Signet's refusal as it is.
    Reply post = sendTo(port, "POST", "/transfers", "{\"amount\":\"1\"}", bearer(d.token("POST", "/transfers", "{\"amount\":\"1\"}"), Map.of()));
    assertThat(post.status()).isEqualTo(401);
    assertThat(post.json().at("/error/description").asText()).contains("the gateway must forward it");
  }

  /** What every gateway must do: pass a good token with the identity, stop the rest, strip forgeries. */
  void commonChecks(int port) throws Exception {
    String token = d.token("GET", "/orders?page=2&q=a%20b", null);
    Reply ok = sendTo(port, "GET", "/orders?page=2&q=a%20b", null,
        bearer(token, Map.of("X-Signet-User", "forged-user", "X-Signet-Identity", "forged.identity.token")));
    assertThat(ok.status()).as(ok.body() + ok.raw().headers().map()).isEqualTo(200);
    JsonNode echo = ok.json().get("data");
    assertThat(echo.get("path").asText()).isEqualTo("/orders?page=2&q=a%20b");
    JsonNode h = echo.get("headers");
    assertThat(h.get("x-signet-user")).as("the client's X-Signet-User is replaced, not added to").hasSize(1);
    assertThat(h.at("/x-signet-user/0").asText()).isEqualTo(d.uid);
    assertThat(h.at("/x-signet-session/0").asText()).isEqualTo(d.sid);
    assertThat(h.at("/x-signet-scheme/0").asText()).isEqualTo("mixin-bot");
    assertThat(h.at("/x-signet-scopes/0").asText()).isEqualTo("FULL");
    assertThat(h.get("x-signet-identity")).hasSize(1);
    assertThat(h.at("/x-signet-identity/0").asText()).as("Signet's signed identity, not the client's").startsWith("eyJ");

    assertThat(sendTo(port, "GET", "/orders?page=2&q=a%20b", null, bearer(token, Map.of())).status()).as("replay").isEqualTo(401);

    // An RFC 9421 signature over the URI the client addressed (the gateway's): Signet reads it from
    // the gateway's X-Forwarded-Host/-Proto, since the check itself arrives at /decisions.
    Map<String, String> signed = new dev.signet.scheme.httpsig.HttpSignatureSigner(d.sid, d.key, java.time.Clock.systemUTC(),
        new java.security.SecureRandom()).sign("GET", java.net.URI.create("http://127.0.0.1:" + port + "/orders?page=4"), null);
    Reply viaSignature = sendTo(port, "GET", "/orders?page=4", null, signed);
    assertThat(viaSignature.status()).as(viaSignature.body()).isEqualTo(200);
    assertThat(viaSignature.json().at("/data/headers/x-signet-scheme/0").asText()).isEqualTo("http-signature");
    assertThat(sendTo(port, "GET", "/orders?page=4", null, signed).status()).as("signature replay").isEqualTo(401);
    assertThat(sendTo(port, "GET", "/orders?page=3", null, bearer(d.token("GET", "/orders?page=2", null), Map.of())).status())
        .as("changed query").isEqualTo(401);
    assertThat(sendTo(port, "GET", "/orders", null, Map.of()).status()).as("no token").isEqualTo(401);
    assertThat(sendTo(port, "GET", "/orders", null, Map.of("X-Signet-User", d.uid)).status()).as("forged identity alone").isEqualTo(401);
  }

  String fill(String resource, int port) throws IOException {
    try (var in = GatewaysE2ETest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("SIGNET", String.valueOf(d.server.port()))
          .replace("UPSTREAM", String.valueOf(d.upstreamPort))
          .replace("PORT", String.valueOf(port));
    }
  }

  static boolean binary(String path) {
    return Files.isExecutable(Path.of(path));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  void awaitPort(int port, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      assertThat(gateway.isAlive()).as(what + " exited: " + Files.readString(dir.resolve(what + ".out"))).isTrue();
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError(what + " did not listen on " + port);
  }
}
