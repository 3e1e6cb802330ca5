package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verification.schemes.service.reuse: until_expiry} on a running server, on /me and the decision API. */
class ServiceReuseE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aServiceTokenIsReusedUntilExpiryWhileBotTokensStaySingleUse(@TempDir Path dir) throws Exception {
    try (LocalServer server = new LocalServer(dir, Map.of("SIGNET_VERIFICATION_AUDIENCE", "api.test",
        "SIGNET_VERIFICATION_SCHEMES_SERVICE_REUSE", "until_expiry", "SIGNET_VERIFICATION_MAX_LIFETIME", "600"))) {
      server.adminOk("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org-1", "kid", "k1",
          "public_key", Fixtures.RSA.publicKey().toX509Pem())));
      String token = new ServiceTokenSigner("org-1", "k1", "api.test", Fixtures.RSA, Clock.systemUTC(), Duration.ofMinutes(10)).sign("svc");
      Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
      for (int i = 0; i < 3; i++) {
        assertThat(server.call("GET", "/me", null, auth).status()).isEqualTo(200);
        assertThat(server.call("GET", "/decisions/reports?x=" + i, null, auth).raw().headers().firstValue("X-Signet-User"))
            .contains("svc");
      }
      // The lifetime cap still holds: a token longer-lived than max_lifetime is refused.
      String longLived = new ServiceTokenSigner("org-1", "k1", "api.test", Fixtures.RSA, Clock.systemUTC(), Duration.ofMinutes(11)).sign("svc");
      assertThat(server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + longLived)).description()).startsWith("lifetime");
      // Bot tokens are single use whatever the service policy.
      String uid = server.newUser("bot");
      Ed25519PrivateKey key = Fixtures.newEd25519();
      String sid = server.newSession(uid, key.publicKey().toBase64Url());
      String bot = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()).sign("GET", "/me", new byte[0]);
      assertThat(server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + bot)).status()).isEqualTo(200);
      assertThat(server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + bot)).description()).startsWith("replayed");
    }
  }
}
