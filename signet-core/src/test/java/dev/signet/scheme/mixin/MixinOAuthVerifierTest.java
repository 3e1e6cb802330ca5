package dev.signet.scheme.mixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PrivateKey;
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
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MixinOAuthVerifierTest {
  static final String APP = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
  static final String AID = "0f0e6d1c-2b3a-4958-8776-a5b4c3d2e1f0";
  static final String USER = "11111111-2222-4333-8444-555555555555";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  final Ed25519PrivateKey key = Fixtures.newEd25519();
  final Fixtures.Registry registry = new Fixtures.Registry().add(new KeyRef(Scheme.MIXIN_OAUTH, APP, AID),
      new RegisteredKey(JwsKey.eddsa(key.publicKey()), APP, USER, Set.of("PROFILE:READ", "PHONE:READ")));
  final MixinOAuthVerifier verifier = new MixinOAuthVerifier(registry, new InMemoryReplayStore(clock, 1000), clock,
      VerifierPolicy.defaults().withRequiredScopes(Set.of("PROFILE:READ")));
  final MixinOAuthSigner signer = new MixinOAuthSigner(APP, AID, key, clock);

  Failure failure(String token) {
    try {
      verifier.verify(new AuthRequest("GET", "/me", null, token));
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("token was accepted");
  }

  @Test
  void acceptsTheAuthorizedUserOnceWithGrantedScopesOnly() throws Exception {
    String token = signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ ASSETS:READ"));
    Principal p = verifier.verify(new AuthRequest("GET", "/me", null, token));
    assertThat(p.scheme()).isEqualTo(Scheme.MIXIN_OAUTH);
    assertThat(p.userId()).isEqualTo(USER);
    assertThat(p.appId()).isEqualTo(APP);
    assertThat(p.attributes()).containsEntry("authorization_id", AID);
    // ASSETS:READ was never granted: the token cannot add it.
    assertThat(p.scopes()).containsExactly("PROFILE:READ");
    assertThat(failure(token)).isEqualTo(Failure.REPLAYED);
  }

  @Test
  void refusesMissingScopeAndUnknownAuthorization() {
    assertThat(failure(signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope("PHONE:READ"))))
        .isEqualTo(Failure.SCOPE);
    MixinOAuthSigner other = new MixinOAuthSigner(APP, UUID.randomUUID().toString(), key, clock);
    assertThat(failure(other.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ"))))
        .isEqualTo(Failure.UNKNOWN_KEY);
    MixinOAuthSigner otherApp = new MixinOAuthSigner(UUID.randomUUID().toString(), AID, key, clock);
    assertThat(failure(otherApp.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope("PROFILE:READ"))))
        .isEqualTo(Failure.UNKNOWN_KEY);
  }

  @Test
  void requiresAScopeToSign() {
    assertThatThrownBy(() -> signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withScope(null)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
