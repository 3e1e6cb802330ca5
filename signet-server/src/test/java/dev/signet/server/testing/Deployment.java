package dev.signet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.SignetServer;
import dev.signet.server.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code signet serve} with one registered bot session, and a real upstream process (a Python
 * server that echoes method, target, headers and body as JSON), for the proxy and gateway tests.
 */
public final class Deployment implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String ADMIN = "test-admin-token-0123456789";
  public static final HttpClient HTTP = HttpClient.newHttpClient();

  public final Process upstream;
  public final int upstreamPort;
  public final SignetServer server;
  public final String uid;
  public final String sid;
  public final MixinBotSigner signer;
  /** The session's key and the server's PIN key for it; the user's PIN is 123456. */
  public final Ed25519PrivateKey key;
  public final X25519PublicKey pinToken;

  public record Reply(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  /** @param configLines extra YAML lines; {@code UPSTREAM} in them stands for the upstream's port */
  public Deployment(Path dir, List<String> configLines) throws Exception {
    Path script = dir.resolve("echo_upstream.py");
    try (var in = Deployment.class.getResourceAsStream("/echo_upstream.py")) {
      Files.copy(in, script);
    }
    upstream = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    upstreamPort = Integer.parseInt(new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.US_ASCII))
        .readLine().strip());
    Path config = dir.resolve("signet.yaml");
    List<String> lines = new java.util.ArrayList<>(List.of("host: 127.0.0.1", "port: 0", "data_dir: " + dir.resolve("data")));
    configLines.forEach(l -> lines.add(l.replace("UPSTREAM", String.valueOf(upstreamPort))));
    Files.writeString(config, String.join("\n", lines) + "\n");
    server = SignetServer.start(ConfigLoader.load(config, Map.of()), Clock.systemUTC(), ADMIN);
    Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN);
    uid = send("POST", "/admin/users", "{}", admin).json().at("/data/user_id").asText();
    key = Ed25519PrivateKey.generate(new SecureRandom());
    JsonNode session = send("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}", admin)
        .json();
    sid = session.at("/data/session_id").asText();
    pinToken = X25519PublicKey.parse(session.at("/data/pin_token").asText());
    send("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}", admin);
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    // The in-memory replay store refuses tokens issued in the second the server started.
    Thread.sleep(1100);
  }

  public String token(String method, String target, String body, TokenOptions options) {
    return signer.sign(method, target, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), options);
  }

  public String token(String method, String target, String body) {
    return token(method, target, body, TokenOptions.defaults());
  }

  public Reply send(String method, String target, String body, Map<String, String> headers) throws Exception {
    return sendTo(server.port(), method, target, body, headers);
  }

  public static Reply sendTo(int port, String method, String target, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
        .timeout(java.time.Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }

  /** The headers map plus {@code Authorization: Bearer token}. */
  public static Map<String, String> bearer(String token, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(headers);
    h.put("Authorization", "Bearer " + token);
    return h;
  }

  @Override
  public void close() throws Exception {
    server.close();
    upstream.destroy();
    upstream.waitFor(10, TimeUnit.SECONDS);
  }
}
