package dev.signet.scheme.service;

import static dev.signet.testing.Fixtures.forge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.RsaDigest;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Reuse;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ServiceTokenVerifierTest {
  static final String AUD = "api.happypathology.com";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  final Fixtures.Registry registry = new Fixtures.Registry().add(new KeyRef(Scheme.SERVICE, "org-1", "k1"),
      new RegisteredKey(JwsKey.rs256(Fixtures.RSA.publicKey()), "org-1", null, null));
  final ServiceTokenVerifier verifier = new ServiceTokenVerifier(registry, new InMemoryReplayStore(clock, 1000), clock,
      VerifierPolicy.defaults().withAudience(AUD));
  final ServiceTokenSigner signer = new ServiceTokenSigner("org-1", "k1", AUD, Fixtures.RSA, clock, Duration.ofHours(1));

  Failure failure(String token) {
    try {
      verifier.verify(new AuthRequest("GET", "/me", null, token));
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("token was accepted");
  }

  String rs256(String header, String claims) {
    return forge(header, claims, Fixtures.RSA.signer(RsaDigest.SHA256));
  }

  String claims(String aud, long lifetime, String extra) {
    long now = clock.instant().getEpochSecond();
    return "{\"aud\":\"" + aud + "\",\"exp\":" + (now + lifetime) + ",\"iat\":" + now
        + ",\"iss\":\"org-1\",\"jti\":\"" + System.nanoTime() + "\",\"sub\":\"user-9\"" + extra + "}";
  }

  @Test
  void acceptsASeed002TokenOnce() throws Exception {
    String token = signer.sign("user-9");
    Principal p = verifier.verify(new AuthRequest("GET", "/me", null, token));
    assertThat(p.scheme()).isEqualTo(Scheme.SERVICE);
    assertThat(p.userId()).isEqualTo("user-9");
    assertThat(p.appId()).isEqualTo("org-1");
    assertThat(p.attributes()).containsEntry("kid", "k1");
    assertThat(failure(token)).isEqualTo(Failure.REPLAYED);
  }

  @Test
  void acceptsKidInTheHeaderAndAnAudienceArray() throws Exception {
    String token = rs256("{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims(AUD, 600, "").replace("\"aud\":\"" + AUD + "\"", "\"aud\":[\"x\",\"" + AUD + "\"]"));
    assertThat(verifier.verify(new AuthRequest("GET", "/me", null, token)).userId()).isEqualTo("user-9");
  }

  @Test
  void refusesDisagreeingOrMissingKid() {
    assertThat(failure(rs256("{\"alg\":\"RS256\",\"kid\":\"k2\"}", claims(AUD, 600, ",\"kid\":\"k1\"")))).isEqualTo(Failure.MALFORMED);
    assertThat(failure(rs256("{\"alg\":\"RS256\"}", claims(AUD, 600, "")))).isEqualTo(Failure.MALFORMED);
    assertThat(failure(rs256("{\"alg\":\"RS256\"}", claims(AUD, 600, ",\"kid\":\"k9\"")))).isEqualTo(Failure.UNKNOWN_KEY);
  }

  @Test
  void refusesWrongAudienceAndLongLifetime() {
    assertThat(failure(rs256("{\"alg\":\"RS256\"}", claims("other.example", 600, ",\"kid\":\"k1\"")))).isEqualTo(Failure.AUDIENCE);
    assertThat(failure(rs256("{\"alg\":\"RS256\"}", claims(AUD, 3601, ",\"kid\":\"k1\"")))).isEqualTo(Failure.LIFETIME);
  }

  @Test
  void refusesRs512AndHmacWithThePublicKeyPem() throws Exception {
    assertThat(failure(forge("{\"alg\":\"RS512\"}", claims(AUD, 600, ",\"kid\":\"k1\""), Fixtures.RSA.signer(RsaDigest.SHA512))))
        .isEqualTo(Failure.ALGORITHM);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Fixtures.RSA.publicKey().toX509Pem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    assertThat(failure(forge("{\"alg\":\"HS256\"}", claims(AUD, 600, ",\"kid\":\"k1\""), mac::doFinal))).isEqualTo(Failure.ALGORITHM);
    assertThat(failure(forge("{\"alg\":\"RS256\"}", claims(AUD, 600, ",\"kid\":\"k1\""), Fixtures.RSA_OTHER.signer(RsaDigest.SHA256))))
        .isEqualTo(Failure.BAD_SIGNATURE);
  }

  @Test
  void checksTheRequestWhenTheTokenCarriesSig() {
    String sig = TokenChecks.requestSig("GET", "/reports", new byte[0]);
    assertThat(failure(rs256("{\"alg\":\"RS256\"}", claims(AUD, 600, ",\"kid\":\"k1\",\"sig\":\"" + sig + "\""))))
        .isEqualTo(Failure.REQUEST_MISMATCH);
  }

  @Test
  void needsAnAudienceAndAShortTtl() {
    assertThatThrownBy(() -> new ServiceTokenVerifier(registry, new InMemoryReplayStore(clock, 1), clock, VerifierPolicy.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceTokenSigner("o", "k", AUD, Fixtures.RSA, clock, Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JwsKey.rsa(Fixtures.RSA.publicKey(), JwsAlgorithm.RS256).algorithm()).isEqualTo(JwsAlgorithm.RS256);
  }

  @Test
  void untilExpiryAcceptsOneTokenManyTimesUntilItExpires() throws Exception {
    VerifierPolicy policy = VerifierPolicy.defaults().withAudience(AUD).withReuse(Scheme.SERVICE, Reuse.UNTIL_EXPIRY);
    InMemoryReplayStore replay = new InMemoryReplayStore(clock, 1000);
    ServiceTokenVerifier reusing = new ServiceTokenVerifier(registry, replay, clock, policy);
    String token = signer.sign("user-9");
    for (int i = 0; i < 3; i++) {
      assertThat(reusing.verify(new AuthRequest("GET", "/me", null, token)).userId()).isEqualTo("user-9");
    }
    // Past the 5-minute acceptance window: the token's own lifetime (1 h) is the window now.
    clock.advance(Duration.ofMinutes(59));
    assertThat(reusing.verify(new AuthRequest("GET", "/me", null, token)).userId()).isEqualTo("user-9");
    assertThat(replay.size()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> reusing.verify(new AuthRequest("GET", "/me", null, token)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.EXPIRED));
  }

  @Test
  void untilExpiryStillCapsTheLifetimeAndChecksEverythingElse() {
    ServiceTokenVerifier reusing = new ServiceTokenVerifier(registry, new InMemoryReplayStore(clock, 1000), clock,
        VerifierPolicy.defaults().withAudience(AUD).withMaxLifetime(Duration.ofMinutes(10)).withReuse(Scheme.SERVICE, Reuse.UNTIL_EXPIRY));
    Failure tooLong = failureOf(reusing, rs256("{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims(AUD, 3600, "")));
    Failure otherAudience = failureOf(reusing, rs256("{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims("other", 60, "")));
    long now = clock.instant().getEpochSecond();
    Failure future = failureOf(reusing, rs256("{\"alg\":\"RS256\",\"kid\":\"k1\"}", "{\"aud\":\"" + AUD + "\",\"exp\":" + (now + 400)
        + ",\"iat\":" + (now + 120) + ",\"iss\":\"org-1\",\"jti\":\"j\",\"sub\":\"u\"}"));
    assertThat(tooLong).isEqualTo(Failure.LIFETIME);
    assertThat(otherAudience).isEqualTo(Failure.AUDIENCE);
    assertThat(future).isEqualTo(Failure.ISSUED_IN_FUTURE);
  }

  @Test
  void onlyServiceTokensMayBeReused() {
    assertThatThrownBy(() -> VerifierPolicy.defaults().withReuse(Scheme.MIXIN_BOT, Reuse.UNTIL_EXPIRY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixin-bot");
    assertThatThrownBy(() -> VerifierPolicy.defaults().withReuse(Scheme.MIXIN_OAUTH, Reuse.UNTIL_EXPIRY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(VerifierPolicy.defaults().reuse(Scheme.SERVICE)).isEqualTo(Reuse.ONCE);
    assertThat(Reuse.parse("until_expiry")).isEqualTo(Reuse.UNTIL_EXPIRY);
    assertThatThrownBy(() -> Reuse.parse("twice")).isInstanceOf(IllegalArgumentException.class);
  }

  static Failure failureOf(ServiceTokenVerifier v, String token) {
    try {
      v.verify(new AuthRequest("GET", "/me", null, token));
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("token was accepted");
  }
}
