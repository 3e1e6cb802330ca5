package dev.signet.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The peer bench/peers.sh measures Signet against: Spring Security's own resource server in the
 * example application, checking a token's signature, exp and iat, and (unlike Signet) neither the
 * request it was made for nor whether it was used before.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerResourceServerTest {
  static final String UID = "6a1b6c4e-3d2f-4e8a-9b7c-1d2e3f4a5b6c";
  static final String SID = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
  static final SecureRandom RANDOM = new SecureRandom();
  static final Ed25519PrivateKey SESSION = Ed25519PrivateKey.generate(RANDOM);
  static final RsaPrivateKey SERVICE = RsaPrivateKey.generate(2048, RANDOM);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) throws Exception {
    Path pem = Files.createTempFile("peer-rs256", ".pub");
    Files.writeString(pem, SERVICE.publicKey().toX509Pem());
    r.add("peer.eddsa-public-key", () -> SESSION.publicKey().toBase64Url());
    r.add("peer.rs256-public-key", pem::toString);
  }

  int status(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) {
      assertThat(r.body()).startsWith("{\"data\":{\"subject\":");
    }
    return r.statusCode();
  }

  static MixinBotSigner bot(Ed25519PrivateKey key, Duration clockOffset) {
    return new MixinBotSigner(UID, SID, JwsSigner.eddsa(key), Clock.offset(Clock.systemUTC(), clockOffset));
  }

  @Test
  void eddsaTokensAreCheckedForSignatureExpiryAndIssueTimeOnly() throws Exception {
    String token = bot(SESSION, Duration.ZERO).sign("GET", "/somewhere/else", new byte[0]);
    assertThat(status("/rs/eddsa/whoami", token)).isEqualTo(200);
    assertThat(status("/rs/eddsa/whoami", token)).as("no single use: the same token again").isEqualTo(200);
    assertThat(status("/rs/eddsa/whoami", bot(Ed25519PrivateKey.generate(RANDOM), Duration.ZERO).sign("GET", "/", new byte[0])))
        .as("another key").isEqualTo(401);
    assertThat(status("/rs/eddsa/whoami", bot(SESSION, Duration.ofHours(-1)).sign("GET", "/", new byte[0]))).as("expired").isEqualTo(401);
    assertThat(status("/rs/eddsa/whoami", bot(SESSION, Duration.ofHours(1)).sign("GET", "/", new byte[0]))).as("issued in the future")
        .isEqualTo(401);
    assertThat(status("/rs/eddsa/whoami", null)).isEqualTo(401);
  }

  @Test
  void rs256ServiceTokensAgainstTheConfiguredPublicKey() throws Exception {
    ServiceTokenSigner svc = new ServiceTokenSigner("svc", "k1", "peers", SERVICE, Clock.systemUTC(), Duration.ofMinutes(5));
    assertThat(status("/rs/rs256/whoami", svc.sign("worker"))).isEqualTo(200);
    ServiceTokenSigner other = new ServiceTokenSigner("svc", "k1", "peers", RsaPrivateKey.generate(2048, RANDOM), Clock.systemUTC(),
        Duration.ofMinutes(5));
    assertThat(status("/rs/rs256/whoami", other.sign("worker"))).as("another key").isEqualTo(401);
    assertThat(status("/rs/rs256/whoami", bot(SESSION, Duration.ZERO).sign("GET", "/", new byte[0]))).as("an EdDSA token").isEqualTo(401);
    assertThat(status("/rs/eddsa/whoami", svc.sign("worker"))).as("an RS256 token where EdDSA is configured").isEqualTo(401);
  }
}
