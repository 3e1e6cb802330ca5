package dev.signet.spring;

import static dev.signet.spring.TestKeys.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.signet.jwt.Jwk;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.spring.app.ChainApp;
import dev.signet.testing.Fixtures;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code signet.service-issuers}: service tokens whose keys an issuer publishes at an HTTPS JWKS URL
 * (a JDK HTTPS server with a certificate made by {@code keytool}, trusted through {@code ca-file}).
 */
@SpringBootTest(classes = ChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceIssuersTest {
  static final String AUDIENCE = "api.example.test";
  static final RsaPrivateKey first = Fixtures.RSA;
  static final RsaPrivateKey second = Fixtures.RSA_OTHER;
  static final ObjectMapper JSON = new ObjectMapper();
  static final AtomicInteger fetches = new AtomicInteger();
  static volatile String served;
  static HttpsServer issuer;
  static Path caFile;

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws Exception {
    start();
    TestKeys.register(r);
    r.add("signet.audience", () -> AUDIENCE);
    r.add("signet.service-issuers[0].issuer", () -> "org-jwks");
    r.add("signet.service-issuers[0].jwks-uri", () -> "https://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks.json");
    r.add("signet.service-issuers[0].ca-file", () -> caFile.toString());
    r.add("signet.service-issuers[0].min-refresh", () -> "0s");
    r.add("signet.service-issuers[1].issuer", () -> "org-down");
    r.add("signet.service-issuers[1].jwks-uri", () -> "https://127.0.0.1:1/jwks.json");
  }

  static void start() throws Exception {
    Path dir = Files.createTempDirectory("signet-jwks-issuer");
    Path store = dir.resolve("issuer.p12");
    caFile = dir.resolve("issuer.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "issuer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit");
    run(keytool, "-exportcert", "-rfc", "-alias", "issuer", "-keystore", store.toString(), "-storepass", "changeit",
        "-file", caFile.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    serve(Map.of("k1", first));
    issuer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.setHttpsConfigurator(new HttpsConfigurator(tls));
    issuer.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = served.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    issuer.start();
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
  }

  static void serve(Map<String, RsaPrivateKey> byKid) throws Exception {
    List<Map<String, Object>> keys = new ArrayList<>();
    byKid.forEach((kid, key) -> {
      Map<String, Object> jwk = new HashMap<>(Jwk.signingKey(key.publicKey()));
      jwk.put("kid", kid);
      keys.add(jwk);
    });
    served = JSON.writeValueAsString(Map.of("keys", keys));
  }

  @AfterAll
  static void stop() {
    issuer.stop(0);
  }

  static String token(String kid, RsaPrivateKey key) {
    return new ServiceTokenSigner("org-jwks", kid, AUDIENCE, key, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)),
        Duration.ofMinutes(5)).sign("billing-worker");
  }

  @Test
  void keysComeFromTheIssuersSetAndFollowItsRotation() throws Exception {
    HttpResponse<String> ok = send(port, "GET", "/public", null, token("k1", first));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    String whoami = send(port, "GET", "/whoami", null, token("k1", first)).body();
    assertThat(JSON.readTree(whoami).at("/data/user_id").asText()).isEqualTo("billing-worker");

    // Rotation: the issuer publishes k2; a token under it makes the set be fetched again.
    serve(Map.of("k1", first, "k2", second));
    assertThat(send(port, "GET", "/public", null, token("k2", second)).statusCode()).isEqualTo(200);
    // A kid the set names but signed by another key, and a kid nobody published, are refused.
    assertThat(send(port, "GET", "/public", null, token("k2", first)).body()).contains("bad_signature");
    assertThat(send(port, "GET", "/public", null, token("k9", first)).body()).contains("unknown_key");
    assertThat(fetches.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anIssuerThatCannotBeReachedIs503WithTheEnvelope() throws Exception {
    String token = new ServiceTokenSigner("org-down", "k1", AUDIENCE, first, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)),
        Duration.ofMinutes(5)).sign("billing-worker");
    HttpResponse<String> r = send(port, "GET", "/public", null, token);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).startsWith("{\"error\":{\"status\":503,\"code\":503,\"description\":\"unavailable")
        .doesNotContain("Exception").doesNotContain("at dev.");
  }

  @Test
  void aBadIssuerEntryStopsTheStartAndIsNamed() {
    WebApplicationContextRunner runner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SignetAutoConfiguration.class))
        .withPropertyValues("signet.audience=" + AUDIENCE, "signet.service-issuers[0].issuer=org-x");
    runner.withPropertyValues("signet.service-issuers[0].jwks-uri=http://127.0.0.1:1/jwks.json")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("signet.service-issuers[0].jwks-uri must be an https URL"));
    runner.withPropertyValues("signet.service-issuers[0].jwks-uri=https://127.0.0.1:1/jwks.json",
            "signet.service-issuers[0].ca-file=/nonexistent/ca.pem")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("signet.service-issuers[0].ca-file: cannot read /nonexistent/ca.pem"));
    runner.withPropertyValues("signet.service-issuers[0].jwks-uri=https://127.0.0.1:1/jwks.json",
            "signet.service-issuers[0].min-refresh=10m")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.service-issuers[0]:"));
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SignetAutoConfiguration.class))
        .withPropertyValues("signet.service-issuers[0].issuer=org-x", "signet.service-issuers[0].jwks-uri=https://127.0.0.1:1/j")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.service-issuers needs signet.audience"));
  }
}
