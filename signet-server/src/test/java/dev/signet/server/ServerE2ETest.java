package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.codec.Base64Url;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** signet serve over real HTTP on loopback, with an embedded store in a temporary directory. */
class ServerE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();
  static final String ADMIN = LocalServer.ADMIN;

  @TempDir
  Path dir;

  LocalServer server;

  @BeforeEach
  void start() throws Exception {
    server = startServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  LocalServer startServer() throws InterruptedException {
    return new LocalServer(dir, Map.of("SIGNET_VERIFICATION_AUDIENCE", "api.example"));
  }

  String newUser() throws Exception {
    Reply r = server.admin("POST", "/admin/users", "{\"name\":\"alice\"}");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    return r.json().at("/data/user_id").asText();
  }

  String newSession(String uid, String publicKey, String alg) throws Exception {
    Reply r = server.admin("POST", "/admin/users/" + uid + "/sessions",
        JSON.writeValueAsString(Map.of("public_key", publicKey, "algorithm", alg)));
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    assertThat(Base64Url.decode(r.json().at("/data/pin_token").asText())).hasSize(32);
    return r.json().at("/data/session_id").asText();
  }

  @Test
  void botTokensPassOnceAndEveryRefusalIsTypedWithoutStateChange() throws Exception {
    String uid = newUser();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = newSession(uid, key.publicKey().toBase64Url(), "EdDSA");
    MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());

    String token = signer.sign("GET", "/me?x=1", new byte[0]);
    Reply ok = server.bearer("GET", "/me?x=1", null, token);
    assertThat(ok.status()).as(ok.json().toString()).isEqualTo(200);
    assertThat(ok.json().at("/data/user_id").asText()).isEqualTo(uid);
    assertThat(ok.json().at("/data/session_id").asText()).isEqualTo(sid);
    assertThat(ok.json().at("/data/scheme").asText()).isEqualTo("mixin-bot");
    assertThat(server.bearer("GET", "/me?x=1", null, token).description()).startsWith("replayed");

    String other = signer.sign("GET", "/me?x=1", new byte[0]);
    assertThat(server.bearer("GET", "/me?x=2", null, other).description()).startsWith("request_mismatch");
    assertThat(server.bearer("GET", "/me?x=1", "{}", other).description()).startsWith("request_mismatch");
    // The refused attempts consumed nothing: the right request still passes.
    assertThat(server.bearer("GET", "/me?x=1", null, other).status()).isEqualTo(200);

    MixinBotSigner pastClock = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    assertThat(server.bearer("GET", "/me", null, pastClock.sign("GET", "/me", new byte[0],
        TokenOptions.defaults().withTtl(Duration.ofMinutes(1)))).description()).startsWith("expired");
    MixinBotSigner futureClock = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
    assertThat(server.bearer("GET", "/me", null, futureClock.sign("GET", "/me", new byte[0])).description()).startsWith("issued_in_future");

    MixinBotSigner wrongKey = new MixinBotSigner(uid, sid, JwsSigner.eddsa(Ed25519PrivateKey.generate(RANDOM)), Clock.systemUTC());
    Reply bad = server.bearer("GET", "/me", null, wrongKey.sign("GET", "/me", new byte[0]));
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.description()).startsWith("bad_signature");
    assertThat(bad.json().at("/error/code").asInt()).isEqualTo(401);
  }

  @Test
  void algorithmSwapsAreRefused() throws Exception {
    String uid = newUser();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = newSession(uid, key.publicKey().toBase64Url(), "EdDSA");
    long now = Instant.now().getEpochSecond();
    String claims = "{\"uid\":\"" + uid + "\",\"sid\":\"" + sid + "\",\"iat\":" + now + ",\"exp\":" + (now + 60)
        + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\",\"sig\":\"" + dev.signet.verify.TokenChecks.requestSig("GET", "/me", new byte[0]) + "\"}";
    String input = b64("{\"alg\":\"none\"}") + "." + b64(claims);
    assertThat(server.bearer("GET", "/me", null, input + ".").description()).startsWith("malformed");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.publicKey().toBytes(), "HmacSHA256"));
    String hsInput = b64("{\"alg\":\"HS256\"}") + "." + b64(claims);
    assertThat(server.bearer("GET", "/me", null, hsInput + "." + Base64Url.encode(mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII))))
        .description()).startsWith("algorithm");
    RsaPrivateKey rsa = RsaPrivateKey.generate(2048, RANDOM);
    String rsInput = b64("{\"alg\":\"RS512\"}") + "." + b64(claims);
    assertThat(server.bearer("GET", "/me", null, rsInput + "." + Base64Url.encode(rsa.signer(RsaDigest.SHA512).sign(rsInput.getBytes(StandardCharsets.US_ASCII))))
        .description()).startsWith("algorithm");
  }

  @Test
  void garbageIsA4xxEnvelopeNeverA500() throws Exception {
    for (Map<String, String> h : new Map[] {Map.of(), Map.of("Authorization", "Basic xyz"), Map.of("Authorization", "Bearer "),
        Map.of("Authorization", "Bearer a.b.c"), Map.of("Authorization", "Bearer " + "x".repeat(5000)),
        Map.of("Authorization", "Bearer eyJhbGciOiJFZERTQSJ9.e30.AAAA")}) {
      Reply r = server.call("GET", "/me", null, h);
      assertThat(r.status()).as(h.toString()).isBetween(400, 499);
      assertThat(r.json().at("/error/description").asText()).as(h.toString()).isNotBlank().doesNotContain("Exception");
    }
    assertThat(server.call("GET", "/nowhere", null, Map.of()).status()).isEqualTo(404);
    assertThat(server.admin("POST", "/admin/users", "{\"user_id\":\"nope\"}").status()).isEqualTo(400);
    assertThat(server.admin("POST", "/admin/users", "{\"name\":\"a\",\"name\":\"b\"}").description()).contains("duplicate");
    assertThat(server.admin("POST", "/admin/users", "not json").status()).isEqualTo(400);
    assertThat(server.call("POST", "/admin/users", "{}", Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(401);
    String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
    assertThat(server.admin("POST", "/admin/users", big).status()).isEqualTo(413);
    Reply echoed = server.call("GET", "/healthz", null, Map.of("X-Request-Id", "abc-123"));
    assertThat(echoed.raw().headers().firstValue("X-Request-Id")).hasValue("abc-123");
    assertThat(echoed.json().at("/data/status").asText()).isEqualTo("ok");
  }

  @Test
  void generatedSessionsOAuthAndServiceTokens() throws Exception {
    String uid = newUser();
    Reply s = server.admin("POST", "/admin/users/" + uid + "/sessions", "{\"scopes\":[\"PROFILE:READ\"]}");
    Keystore ks = Keystore.parse(s.json().at("/data/keystore").toString());
    MixinBotSigner signer = new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC());
    Reply me = server.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0]));
    assertThat(me.json().at("/data/scopes/0").asText()).isEqualTo("PROFILE:READ");

    Ed25519PrivateKey oauthKey = Ed25519PrivateKey.generate(RANDOM);
    String app = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
    Reply a = server.admin("POST", "/admin/oauth/authorizations", JSON.writeValueAsString(Map.of("app_id", app, "user_id", uid,
        "public_key", oauthKey.publicKey().toHex(), "scopes", java.util.List.of("PROFILE:READ"))));
    String aid = a.json().at("/data/authorization_id").asText();
    MixinOAuthSigner oauth = new MixinOAuthSigner(app, aid, oauthKey, Clock.systemUTC());
    Reply om = server.bearer("GET", "/me", null, oauth.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ")));
    assertThat(om.json().at("/data/scheme").asText()).isEqualTo("mixin-oauth");
    assertThat(om.json().at("/data/user_id").asText()).isEqualTo(uid);
    assertThat(om.json().at("/data/app_id").asText()).isEqualTo(app);

    RsaPrivateKey rsa = RsaPrivateKey.generate(2048, RANDOM);
    assertThat(server.admin("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org-1", "kid", "k1",
        "public_key", rsa.publicKey().toPkcs1Pem()))).status()).isEqualTo(200);
    ServiceTokenSigner svc = new ServiceTokenSigner("org-1", "k1", "api.example", rsa, Clock.systemUTC(), Duration.ofMinutes(10));
    Reply sm = server.bearer("GET", "/me", null, svc.sign("user-9"));
    assertThat(sm.json().at("/data/scheme").asText()).isEqualTo("service");
    assertThat(sm.json().at("/data/user_id").asText()).isEqualTo("user-9");
    ServiceTokenSigner otherAudience = new ServiceTokenSigner("org-1", "k1", "api.other", rsa, Clock.systemUTC(), Duration.ofMinutes(10));
    assertThat(server.bearer("GET", "/me", null, otherAudience.sign("user-9")).description()).startsWith("audience");

    // Revocation takes effect at once on this node.
    assertThat(server.admin("DELETE", "/admin/service-keys/org-1/k1", null).status()).isEqualTo(200);
    assertThat(server.bearer("GET", "/me", null, svc.sign("user-9")).description()).startsWith("unknown_key");
    assertThat(server.admin("DELETE", "/admin/sessions/" + ks.sessionId(), null).status()).isEqualTo(200);
    assertThat(server.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0])).description()).startsWith("unknown_key");
    assertThat(server.admin("DELETE", "/admin/oauth/authorizations/" + aid, null).status()).isEqualTo(200);
    assertThat(server.admin("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}").status()).isEqualTo(200);
    assertThat(server.admin("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"12345\"}").status()).isEqualTo(400);
  }

  @Test
  void aRestartKeepsUsersAndKeysAndRefusesTokensUsedBeforeIt() throws Exception {
    String uid = newUser();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = newSession(uid, key.publicKey().toBase64Url(), "EdDSA");
    MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    String used = signer.sign("GET", "/me", new byte[0]);
    assertThat(server.bearer("GET", "/me", null, used).status()).isEqualTo(200);

    server.close();
    server = startServer();
    assertThat(server.bearer("GET", "/me", null, used).description()).startsWith("stale");
    assertThat(server.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0])).status()).isEqualTo(200);
    assertThat(server.admin("POST", "/admin/users", "{\"user_id\":\"" + uid + "\"}").status()).isEqualTo(409);
  }

  @Test
  void oauthAndServiceTokensAreRefusedForReplayAgeKeyAndAlgorithm() throws Exception {
    String uid = newUser();
    Ed25519PrivateKey oauthKey = Ed25519PrivateKey.generate(RANDOM);
    String app = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
    String aid = server.admin("POST", "/admin/oauth/authorizations", JSON.writeValueAsString(Map.of("app_id", app, "user_id", uid,
        "public_key", oauthKey.publicKey().toBase64Url(), "scopes", java.util.List.of("PROFILE:READ")))).json()
        .at("/data/authorization_id").asText();
    TokenOptions scoped = TokenOptions.defaults().withScope("PROFILE:READ");
    MixinOAuthSigner oauth = new MixinOAuthSigner(app, aid, oauthKey, Clock.systemUTC());
    String t = oauth.sign("GET", "/me", new byte[0], scoped);
    assertThat(server.bearer("GET", "/me", null, t).status()).isEqualTo(200);
    assertThat(server.bearer("GET", "/me", null, t).description()).startsWith("replayed");
    assertThat(server.bearer("GET", "/me?x", null, oauth.sign("GET", "/me", new byte[0], scoped)).description()).startsWith("request_mismatch");
    MixinOAuthSigner old = new MixinOAuthSigner(app, aid, oauthKey, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    assertThat(server.bearer("GET", "/me", null, old.sign("GET", "/me", new byte[0], scoped.withTtl(Duration.ofMinutes(1)))).description())
        .startsWith("expired");
    MixinOAuthSigner impostor = new MixinOAuthSigner(app, aid, Ed25519PrivateKey.generate(RANDOM), Clock.systemUTC());
    assertThat(server.bearer("GET", "/me", null, impostor.sign("GET", "/me", new byte[0], scoped)).description()).startsWith("bad_signature");

    RsaPrivateKey rsa = RsaPrivateKey.generate(2048, RANDOM);
    server.admin("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org-2", "kid", "k1", "public_key", rsa.publicKey().toX509Pem())));
    ServiceTokenSigner svc = new ServiceTokenSigner("org-2", "k1", "api.example", rsa, Clock.systemUTC(), Duration.ofMinutes(10));
    String st = svc.sign("user-1");
    assertThat(server.bearer("GET", "/me", null, st).status()).isEqualTo(200);
    assertThat(server.bearer("GET", "/me", null, st).description()).startsWith("replayed");
    ServiceTokenSigner future = new ServiceTokenSigner("org-2", "k1", "api.example", rsa,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)), Duration.ofMinutes(10));
    assertThat(server.bearer("GET", "/me", null, future.sign("user-1")).description()).startsWith("issued_in_future");
    long now = Instant.now().getEpochSecond();
    String claims = "{\"aud\":\"api.example\",\"exp\":" + (now + 60) + ",\"iat\":" + now
        + ",\"iss\":\"org-2\",\"jti\":\"j1\",\"sub\":\"u\",\"kid\":\"k1\"}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rsa.publicKey().toX509Pem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String hs = b64("{\"alg\":\"HS256\"}") + "." + b64(claims);
    assertThat(server.bearer("GET", "/me", null, hs + "." + Base64Url.encode(mac.doFinal(hs.getBytes(StandardCharsets.US_ASCII)))).description())
        .startsWith("algorithm");
    assertThat(server.bearer("GET", "/me", null, b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".").description()).startsWith("malformed");
  }

  /** crypto.ed25519: java verifies the same tokens with BouncyCastle, and says so. */
  @Test
  void theJavaProviderServesTheSameTokens() throws Exception {
    server.close();
    server = new LocalServer(dir, Map.of("SIGNET_CRYPTO_ED25519", "java"));
    assertThat(server.call("GET", "/healthz", null, Map.of()).json().at("/data/crypto/ed25519").asText()).isEqualTo("bouncycastle");
    String uid = newUser();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = newSession(uid, key.publicKey().toBase64Url(), "EdDSA");
    String token = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()).sign("GET", "/me", new byte[0]);
    assertThat(server.bearer("GET", "/me", null, token).status()).isEqualTo(200);
    Ed25519PrivateKey other = Ed25519PrivateKey.generate(RANDOM);
    String forged = new MixinBotSigner(uid, sid, JwsSigner.eddsa(other), Clock.systemUTC()).sign("GET", "/me", new byte[0]);
    assertThat(server.bearer("GET", "/me", null, forged).description()).startsWith("bad_signature");
  }

  @Test
  void metricsCountVerificationsByOutcomeAndHugeHeadersAreRefused() throws Exception {
    String uid = newUser();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = newSession(uid, key.publicKey().toBase64Url(), "EdDSA");
    String token = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()).sign("GET", "/me", new byte[0]);
    server.bearer("GET", "/me", null, token);
    server.bearer("GET", "/me", null, token);
    server.bearer("GET", "/me", null, token.substring(0, token.length() - 4) + "AAAA");
    server.bearer("GET", "/me", null, "not-a-token");
    assertThat(server.call("GET", "/metrics", null, Map.of()).body())
        .containsPattern("signet_verifications_total\\{outcome=\"ok\",scheme=\"mixin-bot\"\\} 1\\.0")
        .containsPattern("signet_verifications_total\\{outcome=\"replayed\",scheme=\"mixin-bot\"\\} 1\\.0")
        .containsPattern("signet_verifications_total\\{outcome=\"bad_signature\",scheme=\"mixin-bot\"\\} 1\\.0")
        .containsPattern("signet_verifications_total\\{outcome=\"malformed\",scheme=\"unknown\"\\} 1\\.0")
        // Buckets below a millisecond, where verifications are: the dashboard's quantiles need them.
        .containsPattern("signet_verification_seconds_bucket\\{le=\"[0-9.]+E-[45]\"\\} ")
        .containsPattern("signet_crypto_provider\\{ed25519=\"libsodium\"\\} 1\\.0")
        .containsPattern("signet_replay_entries 1\\.0")
        .containsPattern("signet_replay_capacity [1-9]")
        .contains("jvm_gc_live_data_size_bytes");
    assertThat(server.call("GET", "/healthz", null, Map.of()).json().at("/data/crypto/ed25519").asText()).isEqualTo("libsodium");
    // Over HTTP/1.1 (the test client's) a 4xx; over h2c Vert.x closes the connection (GOAWAY) instead.
    assertThat(server.call("GET", "/me", null, Map.of("X-Padding", "x".repeat(20_000))).status()).isBetween(400, 499);
  }

  static String b64(String json) {
    return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyAdminChangeIsAuditedWithoutSecretsNewestFirstByPages() throws Exception {
    String uid = newUser();
    Reply generated = server.admin("POST", "/admin/users/" + uid + "/sessions", "{}");
    String sid = generated.json().at("/data/session_id").asText();
    String privateKey = generated.json().at("/data/keystore/session_private_key").asText();
    assertThat(privateKey).isNotBlank();
    assertThat(server.admin("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"246810\"}").status()).isEqualTo(200);
    assertThat(server.admin("DELETE", "/admin/sessions/" + sid, null).status()).isEqualTo(200);
    assertThat(server.admin("DELETE", "/admin/sessions/" + sid, null).status()).as("nothing deleted, nothing audited").isEqualTo(404);
    assertThat(server.admin("POST", "/admin/users", "{\"user_id\":\"" + uid + "\"}").status()).as("a conflict is not a change").isEqualTo(409);

    Reply audit = server.admin("GET", "/admin/audit?limit=3", null);
    assertThat(audit.status()).isEqualTo(200);
    JsonNode entries = audit.json().at("/data/entries");
    assertThat(entries).hasSize(3);
    assertThat(entries.findValuesAsText("action")).containsExactly("session.delete", "pin.set", "session.create");
    assertThat(entries.get(0).get("target").asText()).isEqualTo(sid);
    assertThat(entries.get(1).get("target").asText()).isEqualTo(uid);
    assertThat(entries.get(0).get("actor").asText()).matches("admin token [0-9a-f]{8}");
    assertThat(entries.get(0).get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(entries.get(0).get("at").asLong()).isCloseTo(Clock.systemUTC().instant().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    String cursor = audit.json().at("/data/next_cursor").asText();
    Reply rest = server.admin("GET", "/admin/audit?limit=3&cursor=" + cursor, null);
    assertThat(rest.json().at("/data/entries").findValuesAsText("action")).containsExactly("user.create");
    assertThat(rest.json().at("/data/next_cursor").isNull()).isTrue();
    String all = audit.raw().body() + rest.raw().body();
    assertThat(all).doesNotContain("246810").doesNotContain(privateKey).doesNotContain(ADMIN);

    assertThat(server.admin("GET", "/admin/audit?limit=501", null).description()).isEqualTo("limit must be 1-500");
    assertThat(server.admin("GET", "/admin/audit?cursor=bm9wZQ", null).description()).isEqualTo("cursor is not one this server gave for audit");
    assertThat(server.call("GET", "/admin/audit", null, Map.of()).status()).isEqualTo(401);
  }
}
