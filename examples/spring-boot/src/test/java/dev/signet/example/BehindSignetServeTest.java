package dev.signet.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example as an upstream behind a real {@code signet serve} (the CLI's jar, as a process) with a
 * proxy route to it: Spring's NimbusJwtDecoder.withJwkSetUri accepts the X-Signet-Identity token
 * against signet serve's JWKS, and refuses a forged one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BehindSignetServeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String ADMIN = "example-admin-token-0123456789";
  /** signet serve's port, chosen before either starts: each must know the other's address. */
  static final int SIGNET_PORT = freePort();

  @LocalServerPort
  int port;
  Process signet;

  @DynamicPropertySource
  static void upstream(DynamicPropertyRegistry r) {
    r.add("upstream.jwks-uri", () -> "http://127.0.0.1:" + SIGNET_PORT + "/.well-known/jwks.json");
    r.add("upstream.issuer", () -> "https://signet.example.test");
    r.add("upstream.audience", () -> "signet-example");
  }

  @AfterEach
  void stop() throws Exception {
    if (signet != null) {
      signet.destroy();
      signet.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theIdentityTokenFromSignetServeIsAcceptedAndForgeriesAreNot() throws Exception {
    Path dir = Files.createTempDirectory("signet-upstream");
    Path config = dir.resolve("signet.yaml");
    Files.writeString(config, "routes:\n  - {prefix: /upstream, upstream: \"http://127.0.0.1:" + port + "\"}\n");
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xmx256m", "-jar", System.getProperty("signet.jar", "../../signet-cli/target/signet.jar"), "serve", "--config", config.toString())
        .redirectError(dir.resolve("serve.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SIGNET_"));
    pb.environment().putAll(Map.of("SIGNET_HOST", "127.0.0.1", "SIGNET_PORT", String.valueOf(SIGNET_PORT),
        "SIGNET_DATA_DIR", dir.resolve("data").toString(), "SIGNET_ADMIN_TOKEN", ADMIN,
        "SIGNET_IDENTITY_ISSUER", "https://signet.example.test", "SIGNET_IDENTITY_AUDIENCE", "signet-example"));
    signet = pb.start();
    awaitListening(dir.resolve("serve.log"));

    String uid = call("POST", SIGNET_PORT, "/admin/users", "{}", Map.of("Authorization", "Bearer " + ADMIN)).at("/data/user_id").asText();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    String sid = call("POST", SIGNET_PORT, "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}",
        Map.of("Authorization", "Bearer " + ADMIN)).at("/data/session_id").asText();
    MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    Thread.sleep(1100); // tokens issued in the second signet serve started are refused (in-memory replay store)

    JsonNode through = call("GET", SIGNET_PORT, "/upstream/whoami", null,
        Map.of("Authorization", "Bearer " + signer.sign("GET", "/upstream/whoami", new byte[0])));
    assertThat(through.at("/data/user_id").asText()).as(through.toString()).isEqualTo(uid);
    assertThat(through.at("/data/session_id").asText()).isEqualTo(sid);
    assertThat(through.at("/data/scheme").asText()).isEqualTo("mixin-bot");
    assertThat(through.at("/data/issuer").asText()).isEqualTo("https://signet.example.test");

    // Straight to the upstream: bare identity headers, or a token not signed by signet serve, are refused.
    assertThat(status(port, "/upstream/whoami", Map.of("X-Signet-User", uid))).isEqualTo(401);
    String forged = JwsSigner.eddsa(Ed25519PrivateKey.generate(new SecureRandom())).sign(Map.of("kid", "forged"),
        Map.of("iss", "https://signet.example.test", "aud", "signet-example", "sub", uid,
            "exp", Clock.systemUTC().instant().getEpochSecond() + 60));
    assertThat(status(port, "/upstream/whoami", Map.of("X-Signet-Identity", forged))).isEqualTo(401);
  }

  static JsonNode call(String method, int port, String target, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(target + ": " + r.body() + " " + r.headers().map()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static int status(int port, String target, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  void awaitListening(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(signet.isAlive()).as("signet serve exited: " + Files.readString(log)).isTrue();
      if (Files.readString(log).contains("listening on")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("signet serve did not start: " + Files.readString(log));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
