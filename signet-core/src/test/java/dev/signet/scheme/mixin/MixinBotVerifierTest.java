package dev.signet.scheme.mixin;

import static dev.signet.testing.Fixtures.forge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.verify.CheckedToken;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MixinBotVerifierTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final String RSA_SID = "5f4c2d9e-1b7a-4e52-9c3d-2a6b8e0f1d47";
  static final byte[] BODY = "{\"amount\":\"1\"}".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  final Ed25519PrivateKey key = Fixtures.newEd25519();
  final Fixtures.Registry registry = new Fixtures.Registry()
      .add(new KeyRef(Scheme.MIXIN_BOT, UID, SID), new RegisteredKey(JwsKey.eddsa(key.publicKey()), UID, UID, null))
      .add(new KeyRef(Scheme.MIXIN_BOT, UID, RSA_SID), new RegisteredKey(JwsKey.rs512(Fixtures.RSA.publicKey()), UID, UID, null));
  final InMemoryReplayStore replay = new InMemoryReplayStore(clock, 10_000);
  final MixinBotSigner signer = new MixinBotSigner(UID, SID, JwsSigner.eddsa(key), clock);

  MixinBotVerifier verifier(VerifierPolicy policy) {
    return new MixinBotVerifier(registry, replay, clock, policy);
  }

  Principal verify(String method, String target, byte[] body, String token) throws VerificationException {
    return verifier(VerifierPolicy.defaults()).verify(new AuthRequest(method, target, body, token));
  }

  Failure failure(String method, String target, byte[] body, String token) {
    try {
      verify(method, target, body, token);
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("token was accepted");
  }

  @Test
  void acceptsAFreshEd25519TokenOnceAndNamesThePrincipal() throws Exception {
    String token = signer.sign("POST", "/transfers?x=1", BODY);
    Principal p = verify("POST", "/transfers?x=1", BODY, token);
    assertThat(p.scheme()).isEqualTo(Scheme.MIXIN_BOT);
    assertThat(p.userId()).isEqualTo(UID);
    assertThat(p.sessionId()).isEqualTo(SID);
    assertThat(p.scopes()).containsExactly("FULL");
    assertThat(failure("POST", "/transfers?x=1", BODY, token)).isEqualTo(Failure.REPLAYED);
  }

  @Test
  void checkExceptReplayLeavesTheSingleUseClaimToTheCaller() throws Exception {
    String token = signer.sign("GET", "/me", new byte[0]);
    AuthRequest request = new AuthRequest("GET", "/me", new byte[0], token);
    ParsedJws jws = CompactJws.parse(token, 8192);
    CheckedToken checked = verifier(VerifierPolicy.defaults()).checkExceptReplay(request, jws, jws.unverifiedClaims());
    assertThat(replay.size()).as("nothing claimed yet").isZero();
    assertThat(checked.replayId()).isEqualTo("mixin-bot:" + SID + ":" + jws.unverifiedClaims().string("jti"));
    assertThatThrownBy(() -> checked.afterClaim(false)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.failure()).isEqualTo(Failure.REPLAYED));
    assertThat(checked.consume(replay).userId()).isEqualTo(UID);
    assertThat(failure("GET", "/me", null, token)).as("the claim made by consume counts").isEqualTo(Failure.REPLAYED);
  }

  @Test
  void acceptsAnRs512LegacySessionAndRefusesEdDsaForIt() throws Exception {
    MixinBotSigner rsa = new MixinBotSigner(UID, RSA_SID, JwsSigner.rsa(Fixtures.RSA, JwsAlgorithm.RS512), clock);
    assertThat(verify("GET", "/me", null, rsa.sign("GET", "/me", new byte[0])).sessionId()).isEqualTo(RSA_SID);
    MixinBotSigner edForRsaSession = new MixinBotSigner(UID, RSA_SID, JwsSigner.eddsa(key), clock);
    assertThat(failure("GET", "/me", null, edForRsaSession.sign("GET", "/me", new byte[0]))).isEqualTo(Failure.ALGORITHM);
  }

  @Test
  void refusesRs512TokenForAnEd25519Session() {
    MixinBotSigner rsa = new MixinBotSigner(UID, SID, JwsSigner.rsa(Fixtures.RSA, JwsAlgorithm.RS512), clock);
    assertThat(failure("GET", "/me", null, rsa.sign("GET", "/me", new byte[0]))).isEqualTo(Failure.ALGORITHM);
  }

  @Test
  void aChangedRequestIsRefusedAndConsumesNothing() throws Exception {
    String token = signer.sign("POST", "/transfers?x=1", BODY);
    assertThat(failure("POST", "/transfers?x=2", BODY, token)).isEqualTo(Failure.REQUEST_MISMATCH);
    assertThat(failure("PUT", "/transfers?x=1", BODY, token)).isEqualTo(Failure.REQUEST_MISMATCH);
    assertThat(failure("POST", "/transfers?x=1", "{\"amount\":\"9\"}".getBytes(StandardCharsets.UTF_8), token))
        .isEqualTo(Failure.REQUEST_MISMATCH);
    assertThat(failure("POST", "/transfers", BODY, token)).isEqualTo(Failure.REQUEST_MISMATCH);
    assertThat(replay.size()).isZero();
    assertThat(verify("POST", "/transfers?x=1", BODY, token).userId()).isEqualTo(UID);
  }

  @Test
  void refusesExpiredFutureAndStaleTokens() {
    String expired = signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withTtl(Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(11));
    assertThat(failure("GET", "/me", null, expired)).isEqualTo(Failure.EXPIRED);

    clock.advance(Duration.ofMinutes(2));
    String future = signer.sign("GET", "/me", new byte[0]);
    clock.advance(Duration.ofMinutes(-2));
    assertThat(failure("GET", "/me", null, future)).isEqualTo(Failure.ISSUED_IN_FUTURE);

    String longLived = signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withTtl(Duration.ofDays(90)));
    clock.advance(Duration.ofMinutes(6));
    assertThat(failure("GET", "/me", null, longLived)).isEqualTo(Failure.STALE);
  }

  @Test
  void refusesTokensIssuedBeforeTheServerStarted() throws Exception {
    String before = signer.sign("GET", "/me", new byte[0]);
    clock.advance(Duration.ofSeconds(1));
    VerifierPolicy restarted = VerifierPolicy.defaults().withIssuedAfter(clock.instant());
    assertThatThrownBy(() -> verifier(restarted).verify(new AuthRequest("GET", "/me", null, before)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
    clock.advance(Duration.ofSeconds(1));
    String after = signer.sign("GET", "/me", new byte[0]);
    assertThat(verifier(restarted).verify(new AuthRequest("GET", "/me", null, after)).userId()).isEqualTo(UID);
  }

  @Test
  void allowsIatWithinTheSkew() throws Exception {
    clock.advance(Duration.ofSeconds(20));
    String token = signer.sign("GET", "/me", new byte[0]);
    clock.advance(Duration.ofSeconds(-20));
    assertThat(verify("GET", "/me", null, token).userId()).isEqualTo(UID);
  }

  @Test
  void refusesAnotherKeyUnknownSessionsAndAForeignUser() {
    MixinBotSigner impostor = new MixinBotSigner(UID, SID, JwsSigner.eddsa(Fixtures.newEd25519()), clock);
    assertThat(failure("GET", "/me", null, impostor.sign("GET", "/me", new byte[0]))).isEqualTo(Failure.BAD_SIGNATURE);
    MixinBotSigner unknown = new MixinBotSigner(UID, UUID.randomUUID().toString(), JwsSigner.eddsa(key), clock);
    assertThat(failure("GET", "/me", null, unknown.sign("GET", "/me", new byte[0]))).isEqualTo(Failure.UNKNOWN_KEY);
    MixinBotSigner otherUser = new MixinBotSigner(UUID.randomUUID().toString(), SID, JwsSigner.eddsa(key), clock);
    assertThat(failure("GET", "/me", null, otherUser.sign("GET", "/me", new byte[0]))).isEqualTo(Failure.UNKNOWN_KEY);
  }

  @Test
  void refusesAlgNoneAndHmacWithThePublicKey() throws Exception {
    String claims = claims("GET", "/me");
    String none = Fixtures.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Fixtures.b64(claims) + ".";
    assertThat(failure("GET", "/me", null, none)).isEqualTo(Failure.MALFORMED);
    String noneSigned = forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims, key);
    assertThat(failure("GET", "/me", null, noneSigned)).isEqualTo(Failure.ALGORITHM);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.publicKey().toBytes(), "HmacSHA256"));
    String hs256 = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, data -> mac.doFinal(data));
    assertThat(failure("GET", "/me", null, hs256)).isEqualTo(Failure.ALGORITHM);
    String lowerCase = forge("{\"alg\":\"eddsa\",\"typ\":\"JWT\"}", claims, key);
    assertThat(failure("GET", "/me", null, lowerCase)).isEqualTo(Failure.ALGORITHM);
  }

  @Test
  void refusesMalformedTokens() {
    String claims = claims("GET", "/me");
    String good = forge("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", claims, key);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\",\"crit\":[\"exp\"]}", claims, key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\"}", claims, key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\",\"typ\":\"JWE\"}", claims, key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\"}", claims.replace("{\"uid\"", "{\"uid\":\"x\",\"uid\""), key)))
        .isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\"}", claims + " x", key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\"}", claims + "{}", key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, forge("{\"alg\":\"EdDSA\"}", "[1]", key))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, good + ".")).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, good + "=")).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, " " + good)).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, good.replaceFirst("\\.", ".\n"))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, "")).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, "a.b")).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, "x".repeat(10_000))).isEqualTo(Failure.MALFORMED);
    assertThat(failure("GET", "/me", null, nonCanonicalSignature(good))).isEqualTo(Failure.MALFORMED);
    String notUuid = forge("{\"alg\":\"EdDSA\"}", claims.replace(UID, "alice"), key);
    assertThat(failure("GET", "/me", null, notUuid)).isEqualTo(Failure.MALFORMED);
    String fractionalExp = forge("{\"alg\":\"EdDSA\"}", claims.replaceFirst("\"exp\":(\\d+)", "\"exp\":$1.5"), key);
    assertThat(failure("GET", "/me", null, fractionalExp)).isEqualTo(Failure.MALFORMED);
    assertThat(replay.size()).isZero();
  }

  @Test
  void scopesNarrowTheGrantAndFullCoversEverything() throws Exception {
    VerifierPolicy needsAssets = VerifierPolicy.defaults().withRequiredScopes(Set.of("ASSETS:READ"));
    String full = signer.sign("GET", "/assets", new byte[0]);
    assertThat(verifier(needsAssets).verify(new AuthRequest("GET", "/assets", null, full)).scopes()).containsExactly("FULL");
    String profileOnly = signer.sign("GET", "/assets", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ"));
    assertThatThrownBy(() -> verifier(needsAssets).verify(new AuthRequest("GET", "/assets", null, profileOnly)))
        .isInstanceOfSatisfying(VerificationException.class, e -> {
          assertThat(e.failure()).isEqualTo(Failure.SCOPE);
          assertThat(e.getMessage()).contains("ASSETS:READ");
        });
    // A session registered with PROFILE:READ only cannot use FULL to reach ASSETS:READ.
    registry.add(new KeyRef(Scheme.MIXIN_BOT, UID, SID),
        new RegisteredKey(JwsKey.eddsa(key.publicKey()), UID, UID, Set.of("PROFILE:READ")));
    String fullAgain = signer.sign("GET", "/assets", new byte[0]);
    assertThatThrownBy(() -> verifier(needsAssets).verify(new AuthRequest("GET", "/assets", null, fullAgain)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SCOPE));
  }

  @Test
  void aFullReplayStoreFailsClosed() {
    InMemoryReplayStore tiny = new InMemoryReplayStore(clock, 1);
    MixinBotVerifier v = new MixinBotVerifier(registry, tiny, clock, VerifierPolicy.defaults());
    String t1 = signer.sign("GET", "/me", new byte[0]);
    String t2 = signer.sign("GET", "/me", new byte[0]);
    try {
      v.verify(new AuthRequest("GET", "/me", null, t1));
    } catch (VerificationException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> v.verify(new AuthRequest("GET", "/me", null, t2)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
  }

  @Test
  void errorMessagesNeverEchoTheToken() {
    String token = signer.sign("GET", "/me", new byte[0]);
    try {
      verify("GET", "/other", null, token);
      throw new AssertionError("accepted");
    } catch (VerificationException e) {
      assertThat(e.getMessage()).doesNotContain(token.substring(0, 20)).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
      assertThat(e.getStackTrace()).isEmpty();
    }
  }

  private String claims(String method, String target) {
    long now = clock.instant().getEpochSecond();
    return "{\"uid\":\"" + UID + "\",\"sid\":\"" + SID + "\",\"iat\":" + now + ",\"exp\":" + (now + 300)
        + ",\"jti\":\"" + UUID.randomUUID() + "\",\"sig\":\"" + TokenChecks.requestSig(method, target, new byte[0])
        + "\",\"scp\":\"FULL\"}";
  }

  /**
   * Same signature bytes, different string: a 64-byte signature's last character carries 4 unused
   * low bits; flipping one is invisible to the JDK decoder but must be refused here.
   */
  private static String nonCanonicalSignature(String token) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    String out = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    java.util.Base64.Decoder jdk = java.util.Base64.getUrlDecoder();
    assertThat(jdk.decode(out.substring(out.lastIndexOf('.') + 1)))
        .isEqualTo(jdk.decode(token.substring(token.lastIndexOf('.') + 1)));
    return out;
  }
}
