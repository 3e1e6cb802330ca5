package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.server.testing.Certificates;
import dev.signet.server.testing.LocalServer;
import dev.signet.testing.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service-token keys from issuers' JWKS over real HTTPS: an issuer served by the test (its own CA,
 * given to Signet as {@code ca_file}) rotates keys, is flooded with unknown kids, and goes down.
 */
class JwksE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String AUD = "api.test";
  @TempDir static Path dir;
  static Vertx vertx;
  static HttpServer issuer;
  /** Per path (/fixed, /rot, /down): the JWKS served, or null for "down" (503). */
  static final Map<String, String> served = new java.util.concurrent.ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> requests = new java.util.concurrent.ConcurrentHashMap<>();
  static LocalServer signet;

  static final RsaPrivateKey rsaA = Fixtures.RSA;
  static final RsaPrivateKey rsaB = Fixtures.RSA_OTHER;
  static final Ed25519PrivateKey ed = Fixtures.newEd25519();

  @BeforeAll
  static void start() throws Exception {
    Certificates.Issued ca = Certificates.authority("CN=jwks test CA");
    Path cert = dir.resolve("jwks-cert.pem");
    Path key = dir.resolve("jwks-key.pem");
    Certificates.leaf("CN=localhost", ca).write(cert, key);
    Path caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, Certificates.pem(ca.certificate()));
    vertx = Vertx.vertx();
    issuer = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString())))
        .requestHandler(req -> {
          requests.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
          String body = served.get(req.path());
          if (body == null) {
            req.response().setStatusCode(503).end();
          } else {
            req.response().putHeader("Content-Type", "application/jwk-set+json").end(body);
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    serve("/rot", Map.of("a", Jwk.signingKey(rsaA.publicKey()), "ed", Jwk.signingKey(ed.publicKey())));
    serve("/fixed", Map.of("a", Jwk.signingKey(rsaA.publicKey()), "ed", Jwk.signingKey(ed.publicKey())));
    serve("/down", Map.of("a", Jwk.signingKey(rsaA.publicKey())));
    String base = "https://127.0.0.1:" + issuer.actualPort();
    String yaml = "service:\n  issuers:\n"
        + "    org-rot: {jwks_uri: \"" + base + "/rot\", ca_file: \"" + caFile + "\", min_refresh_seconds: 2}\n"
        + "    org-down: {jwks_uri: \"" + base + "/down\", ca_file: \"" + caFile + "\", cache_seconds: 1, min_refresh_seconds: 1,"
        + " max_stale_seconds: 3}\n"
        + "    org-fixed: {jwks_uri: \"" + base + "/fixed\", ca_file: \"" + caFile + "\"}\n"
        + "    org-untrusted: {jwks_uri: \"" + base + "/fixed\"}\n";
    // The flood of unknown kids comes from one address: the refusal throttle would stop it before
    // the JWKS fetcher it tests here (the throttle's own test: RefusalThrottleE2ETest).
    signet = new LocalServer(dir, yaml, Map.of("SIGNET_VERIFICATION_AUDIENCE", AUD, "SIGNET_ABUSE_MAX_REFUSALS", "0"));
  }

  @AfterAll
  static void stop() {
    if (signet != null) {
      signet.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static void serve(String path, Map<String, Map<String, Object>> byKid) throws Exception {
    List<Map<String, Object>> keys = new ArrayList<>();
    byKid.forEach((kid, k) -> {
      Map<String, Object> copy = new HashMap<>(k);
      copy.put("kid", kid);
      keys.add(copy);
    });
    served.put(path, JSON.writeValueAsString(Map.of("keys", keys)));
  }

  static String rs256(String iss, String kid, RsaPrivateKey key) {
    return new ServiceTokenSigner(iss, kid, AUD, key, Clock.systemUTC(), Duration.ofMinutes(5)).sign("svc-user");
  }

  static String eddsa(String iss, String kid) {
    long now = System.currentTimeMillis() / 1000;
    return Fixtures.forge("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", "{\"aud\":\"" + AUD + "\",\"exp\":" + (now + 300)
        + ",\"iat\":" + now + ",\"iss\":\"" + iss + "\",\"jti\":\"" + UUID.randomUUID() + "\",\"sub\":\"svc-ed\"}", ed);
  }

  static LocalServer.Reply me(String token) throws Exception {
    return signet.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token));
  }

  static int fetches(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  @Test
  void rsaAndEd25519KeysFromTheSetVerifyOnceEach() throws Exception {
    String token = rs256("org-fixed", "a", rsaA);
    LocalServer.Reply ok = me(token);
    assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
    assertThat(ok.data().get("user_id").asText()).isEqualTo("svc-user");
    assertThat(me(token).description()).startsWith("replayed");
    assertThat(me(eddsa("org-fixed", "ed")).status()).isEqualTo(200);
    // The key's algorithm is the set's: an RSA key does not verify an EdDSA token that names it.
    assertThat(me(eddsa("org-fixed", "a")).description()).startsWith("algorithm");
    // A set not trusted by the JVM's CAs (no ca_file) is never used.
    LocalServer.Reply untrusted = me(rs256("org-untrusted", "a", rsaA));
    assertThat(untrusted.status()).isEqualTo(503);
    assertThat(untrusted.description()).startsWith("unavailable");
    assertThat(untrusted.raw().body()).doesNotContain("PKIX", "Exception");
  }

  @Test
  void rotationAndAFloodOfUnknownKids() throws Exception {
    assertThat(me(rs256("org-rot", "a", rsaA)).status()).isEqualTo(200);
    serve("/rot", Map.of("b", Jwk.signingKey(rsaB.publicKey()), "ed", Jwk.signingKey(ed.publicKey())));
    Thread.sleep(2100);
    int before = fetches("/rot");
    // A new kid appears: one fetch finds it.
    assertThat(me(rs256("org-rot", "b", rsaB)).status()).isEqualTo(200);
    assertThat(fetches("/rot")).isEqualTo(before + 1);
    // The old kid disappeared with that fetch.
    assertThat(me(rs256("org-rot", "a", rsaA)).description()).startsWith("unknown_key");
    // 300 forged kids cost the issuer one fetch per min_refresh_seconds (2 s) at most, however long
    // this machine takes to send them (unlimited, it would be 300).
    List<String> forged = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      forged.add(rs256("org-rot", "forged-" + i, rsaA));
    }
    int flood = fetches("/rot");
    long start = System.nanoTime();
    for (String token : forged) {
      assertThat(me(token).status()).isEqualTo(401);
    }
    long intervals = (System.nanoTime() - start) / 2_000_000_000L;
    assertThat(fetches("/rot")).isLessThanOrEqualTo(flood + 1 + (int) intervals);
    String metrics = signet.call("GET", "/metrics", null, Map.of()).raw().body();
    assertThat(metrics).containsPattern("signet_jwks_fetches_total\\{issuer=\"org-rot\",outcome=\"ok\"} [0-9.]+")
        .contains("signet_jwks_keys{issuer=\"org-rot\"} 2.0");
  }

  @Test
  void issuerDownStaleForABoundedTimeThenUnavailableThenBack() throws Exception {
    assertThat(me(rs256("org-down", "a", rsaA)).status()).isEqualTo(200);
    served.remove("/down");
    Thread.sleep(1200);
    // Past cache_seconds (1 s), the fetch fails: the last set is still used (max_stale_seconds 3).
    LocalServer.Reply stale = me(rs256("org-down", "a", rsaA));
    assertThat(stale.status()).as(stale.raw().body()).isEqualTo(200);
    Thread.sleep(3200);
    LocalServer.Reply gone = me(rs256("org-down", "a", rsaA));
    assertThat(gone.status()).isEqualTo(503);
    assertThat(gone.description()).startsWith("unavailable").contains("org-down");
    serve("/down", Map.of("a", Jwk.signingKey(rsaA.publicKey())));
    Thread.sleep(1100);
    assertThat(me(rs256("org-down", "a", rsaA)).status()).isEqualTo(200);
    String metrics = signet.call("GET", "/metrics", null, Map.of()).raw().body();
    assertThat(metrics).containsPattern("signet_jwks_fetches_total\\{issuer=\"org-down\",outcome=\"error\"} [1-9]");
  }
}
