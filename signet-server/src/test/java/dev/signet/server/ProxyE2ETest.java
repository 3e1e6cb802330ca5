package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarded routes against a real upstream process (a Python echo server). */
class ProxyE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = "test-admin-token-0123456789";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  Process upstream;
  SignetServer server;
  String uid;
  String sid;
  Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
  X25519PublicKey pinToken;
  MixinBotSigner signer;

  @BeforeEach
  void start() throws Exception {
    Path script = dir.resolve("echo_upstream.py");
    try (var in = ProxyE2ETest.class.getResourceAsStream("/echo_upstream.py")) {
      Files.copy(in, script);
    }
    upstream = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int port = Integer.parseInt(new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.US_ASCII)).readLine().strip());
    Path config = dir.resolve("signet.yaml");
    Files.writeString(config, String.join("\n",
        "host: 127.0.0.1",
        "port: 0",
        "data_dir: " + dir.resolve("data"),
        "routes:",
        "  - {prefix: /api, upstream: \"http://127.0.0.1:" + port + "\"}",
        "  - {prefix: /assets, upstream: \"http://127.0.0.1:" + port + "\", scopes: [ASSETS:READ]}",
        "  - {prefix: /transfers, upstream: \"http://127.0.0.1:" + port + "\", pin: true}",
        "  - {prefix: /down, upstream: \"http://127.0.0.1:9\"}",
        ""));
    server = SignetServer.start(ConfigLoader.load(config, Map.of()), Clock.systemUTC(), ADMIN);
    uid = send("POST", "/admin/users", "{}", Map.of("Authorization", "Bearer " + ADMIN)).json().at("/data/user_id").asText();
    JsonNode s = send("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}",
        Map.of("Authorization", "Bearer " + ADMIN)).json();
    sid = s.at("/data/session_id").asText();
    pinToken = X25519PublicKey.parse(s.at("/data/pin_token").asText());
    send("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}", Map.of("Authorization", "Bearer " + ADMIN));
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    Thread.sleep(1100);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.destroy();
    upstream.waitFor(10, TimeUnit.SECONDS);
  }

  record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

  Reply send(String method, String target, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
  }

  Reply signed(String method, String target, String body, TokenOptions options, Map<String, String> extra) throws Exception {
    String token = signer.sign(method, target, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), options);
    Map<String, String> h = new java.util.HashMap<>(extra);
    h.put("Authorization", "Bearer " + token);
    return send(method, target, body, h);
  }

  @Test
  void forwardsVerifiedRequestsWithTheIdentityAndNothingForged() throws Exception {
    Reply r = signed("POST", "/api/things?x=1&y=%20", "{\"a\":1}", TokenOptions.defaults(),
        Map.of("X-Signet-User", "someone-else", "X-Custom", "kept"));
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    JsonNode echo = r.json().get("data");
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("path").asText()).isEqualTo("/api/things?x=1&y=%20");
    assertThat(echo.get("body").asText()).isEqualTo("{\"a\":1}");
    JsonNode h = echo.get("headers");
    assertThat(h.get("x-signet-user")).hasSize(1);
    assertThat(h.at("/x-signet-user/0").asText()).isEqualTo(uid);
    assertThat(h.at("/x-signet-session/0").asText()).isEqualTo(sid);
    assertThat(h.at("/x-signet-scheme/0").asText()).isEqualTo("mixin-bot");
    assertThat(h.at("/x-signet-scopes/0").asText()).isEqualTo("FULL");
    assertThat(h.at("/x-custom/0").asText()).isEqualTo("kept");
    assertThat(h.get("x-signet-identity")).hasSize(1);
    assertThat(h.at("/x-signet-identity/0").asText()).startsWith("eyJ");
    assertThat(h.has("authorization")).isFalse();
    assertThat(r.raw().headers().firstValue("X-Upstream")).hasValue("echo");

    assertThat(send("GET", "/api/things", null, Map.of()).status()).isEqualTo(401);
    assertThat(signed("GET", "/down/x", null, TokenOptions.defaults(), Map.of()).status()).isEqualTo(502);
  }

  @Test
  void routeScopesAreCheckedBeforeTheTokenIsUsed() throws Exception {
    Reply refused = signed("GET", "/assets/list", null, TokenOptions.defaults().withScope("PROFILE:READ"), Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/error/description").asText()).startsWith("scope");
    assertThat(signed("GET", "/assets/list", null, TokenOptions.defaults().withScope("ASSETS:READ"), Map.of()).status()).isEqualTo(200);
  }

  @Test
  void pinRoutesCheckThePinBeforeForwarding() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String good = PinCipher.encrypt(PinCipher.digits("123456"), now, 1, key, pinToken, RANDOM);
    Reply ok = signed("POST", "/transfers", "{\"pin\":\"" + good + "\",\"amount\":\"1\"}", TokenOptions.defaults(), Map.of());
    assertThat(ok.status()).as(ok.json().toString()).isEqualTo(200);
    assertThat(ok.json().at("/data/body").asText()).contains("\"amount\":\"1\"");
    String wrong = PinCipher.encrypt(PinCipher.digits("000000"), now, 2, key, pinToken, RANDOM);
    Reply refused = signed("POST", "/transfers", "{\"pin\":\"" + wrong + "\",\"amount\":\"1\"}", TokenOptions.defaults(), Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/error/description").asText()).startsWith("pin_wrong");
    assertThat(signed("POST", "/transfers", "{\"amount\":\"1\"}", TokenOptions.defaults(), Map.of()).status()).isEqualTo(400);
  }
}
