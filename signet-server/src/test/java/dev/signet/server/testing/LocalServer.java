package dev.signet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A signet serve on loopback (an embedded store in {@code dir} unless the settings say otherwise),
 * and the HTTP client every server test calls it with.
 */
public final class LocalServer implements AutoCloseable {
  public static final String ADMIN = "test-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  /** HTTP/1.1, as the server speaks it without TLS (it does not upgrade to h2c). */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final SignetServer server;

  /** Started, with {@code env} (SIGNET_* settings) over the test defaults; tokens signed from now on are fresh. */
  public LocalServer(Path dir, Map<String, String> env) throws InterruptedException {
    this(dir, null, env);
  }

  /** Started with {@code yaml} as its --config file (null: none) and {@code env} over the test defaults. */
  public LocalServer(Path dir, String yaml, Map<String, String> env) throws InterruptedException {
    Map<String, String> all = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.resolve("data").toString()));
    all.putAll(env);
    ServerConfig config = ConfigLoader.parse(yaml, "test.yaml", all);
    server = SignetServer.start(config, Clock.systemUTC(), ADMIN);
    Thread.sleep(1100);  // tokens must be issued after the server's start second
  }

  /** The server itself, for tests in {@code dev.signet.server} that read what it mounted. */
  public SignetServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** An answer: its status, its body as JSON (null when it is not JSON), and the response itself. */
  public record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    public String body() {
      return raw.body();
    }

    public String description() {
      return json.at("/error/description").asText();
    }

    public JsonNode data() {
      return json.get("data");
    }
  }

  public Reply call(String method, String target, String body, Map<String, String> headers) throws Exception {
    return sendTo(port(), method, target, body, headers);
  }

  /** A request to whatever listens on loopback {@code port} (a gateway in front of a server, say). */
  public static Reply sendTo(int port, String method, String target, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.headers().firstValue("Content-Type").orElse("").contains("json") ? JSON.readTree(r.body()) : null;
    return new Reply(r.statusCode(), json, r);
  }

  /** With {@code Authorization: Bearer token}. */
  public Reply bearer(String method, String target, String body, String token) throws Exception {
    return call(method, target, body, Map.of("Authorization", "Bearer " + token));
  }

  public Reply admin(String method, String target, String body) throws Exception {
    return call(method, target, body, Map.of("Authorization", "Bearer " + ADMIN));
  }

  /** An admin call that must answer 200; its data. */
  public JsonNode adminOk(String method, String target, String body) throws Exception {
    Reply r = admin(method, target, body);
    assertThat(r.status()).as(method + " " + target + ": " + r.raw().body()).isEqualTo(200);
    return r.data();
  }

  public String newUser(String name) throws Exception {
    return adminOk("POST", "/admin/users", JSON.writeValueAsString(Map.of("name", name))).get("user_id").asText();
  }

  public String newSession(String uid, String publicKey) throws Exception {
    return adminOk("POST", "/admin/users/" + uid + "/sessions", JSON.writeValueAsString(Map.of("public_key", publicKey)))
        .get("session_id").asText();
  }

  @Override
  public void close() {
    server.close();
  }
}
