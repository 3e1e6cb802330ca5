package dev.signet.server;

import static dev.signet.server.testing.Deployment.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.Deployment;
import dev.signet.server.testing.LocalServer.Reply;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forwarded routes against a real upstream process (a Python echo server). */
class ProxyE2ETest {
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  Deployment d;

  @BeforeEach
  void start() throws Exception {
    d = new Deployment(dir, List.of("routes:",
        "  - {prefix: /api, upstream: \"http://127.0.0.1:UPSTREAM\"}",
        "  - {prefix: /assets, upstream: \"http://127.0.0.1:UPSTREAM\", scopes: [ASSETS:READ]}",
        "  - {prefix: /transfers, upstream: \"http://127.0.0.1:UPSTREAM\", pin: true}",
        "  - {prefix: /down, upstream: \"http://127.0.0.1:9\"}"));
  }

  @AfterEach
  void stop() throws Exception {
    d.close();
  }

  Reply signed(String method, String target, String body, TokenOptions options, Map<String, String> extra) throws Exception {
    return d.send(method, target, body, bearer(d.token(method, target, body, options), extra));
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
    assertThat(h.at("/x-signet-user/0").asText()).isEqualTo(d.uid);
    assertThat(h.at("/x-signet-session/0").asText()).isEqualTo(d.sid);
    assertThat(h.at("/x-signet-scheme/0").asText()).isEqualTo("mixin-bot");
    assertThat(h.at("/x-signet-scopes/0").asText()).isEqualTo("FULL");
    assertThat(h.at("/x-custom/0").asText()).isEqualTo("kept");
    assertThat(h.get("x-signet-identity")).hasSize(1);
    assertThat(h.at("/x-signet-identity/0").asText()).startsWith("eyJ");
    assertThat(h.has("authorization")).isFalse();
    assertThat(r.raw().headers().firstValue("X-Upstream")).hasValue("echo");

    assertThat(d.send("GET", "/api/things", null, Map.of()).status()).isEqualTo(401);
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
    String good = PinCipher.encrypt(PinCipher.digits("123456"), now, 1, d.key, d.pinToken, RANDOM);
    Reply ok = signed("POST", "/transfers", "{\"pin\":\"" + good + "\",\"amount\":\"1\"}", TokenOptions.defaults(), Map.of());
    assertThat(ok.status()).as(ok.json().toString()).isEqualTo(200);
    assertThat(ok.json().at("/data/body").asText()).contains("\"amount\":\"1\"");
    String wrong = PinCipher.encrypt(PinCipher.digits("000000"), now, 2, d.key, d.pinToken, RANDOM);
    Reply refused = signed("POST", "/transfers", "{\"pin\":\"" + wrong + "\",\"amount\":\"1\"}", TokenOptions.defaults(), Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/error/description").asText()).startsWith("pin_wrong");
    assertThat(signed("POST", "/transfers", "{\"amount\":\"1\"}", TokenOptions.defaults(), Map.of()).status()).isEqualTo(400);
  }
}
