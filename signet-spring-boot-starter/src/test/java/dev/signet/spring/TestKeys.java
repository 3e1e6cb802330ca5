package dev.signet.spring;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One bot session registered through {@code signet.keys}, and an HTTP client that signs for it. */
final class TestKeys {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final Ed25519PrivateKey KEY = Fixtures.newEd25519();
  /** A second ahead (within the skew): the in-memory replay store refuses tokens of the second the app started. */
  static final MixinBotSigner SIGNER = new MixinBotSigner(UID, SID, JwsSigner.eddsa(KEY), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)));
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestKeys() {}

  static void register(DynamicPropertyRegistry r) {
    r.add("signet.keys[0].scheme", () -> "mixin-bot");
    r.add("signet.keys[0].user", () -> UID);
    r.add("signet.keys[0].session", () -> SID);
    r.add("signet.keys[0].public-key", () -> KEY.publicKey().toBase64Url());
  }

  static String token(String method, String target, String body, String scope) {
    return SIGNER.sign(method, target, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        TokenOptions.defaults().withScope(scope));
  }

  static HttpResponse<String> send(int port, String method, String target, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "text/plain");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
