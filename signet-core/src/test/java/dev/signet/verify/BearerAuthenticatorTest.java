package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.Claims;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.JwsSigner;
import dev.signet.jwt.ParsedJws;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final String APP = "3e5c3b1e-6a4c-4b9e-8f57-2a0c9d1e7b21";
  static final String AID = "7d8a9b0c-1e2f-4a3b-9c4d-5e6f7a8b9c0d";
  static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  final Ed25519PrivateKey bot = Fixtures.newEd25519();
  final Ed25519PrivateKey oauth = Fixtures.newEd25519();
  final Fixtures.Registry keys = new Fixtures.Registry()
      .add(new KeyRef(Scheme.MIXIN_BOT, UID, SID), new RegisteredKey(JwsKey.eddsa(bot.publicKey()), UID, UID, null))
      .add(new KeyRef(Scheme.MIXIN_OAUTH, APP, AID), new RegisteredKey(JwsKey.eddsa(oauth.publicKey()), APP, UID, Set.of("PROFILE:READ")))
      .add(new KeyRef(Scheme.SERVICE, "billing", "k1"), new RegisteredKey(JwsKey.rs256(Fixtures.RSA.publicKey()), "billing", null, null));
  final InMemoryReplayStore replay = new InMemoryReplayStore(clock, 1000);
  final BearerAuthenticator auth = new BearerAuthenticator(keys, replay, clock, VerifierPolicy.defaults().withAudience("api"), null);

  @Test
  void dispatchesEachTokenKindToItsVerifier() throws Exception {
    String botToken = new MixinBotSigner(UID, SID, JwsSigner.eddsa(bot), clock).sign("POST", "/t?x=1", BODY);
    assertThat(auth.authenticate("POST", "/t?x=1", BODY, "Bearer " + botToken).scheme()).isEqualTo(Scheme.MIXIN_BOT);

    String oauthToken = new MixinOAuthSigner(APP, AID, oauth, clock).sign("GET", "/me", new byte[0],
        TokenOptions.defaults().withScope("PROFILE:READ"));
    Principal p = auth.authenticate("GET", "/me", null, "Bearer " + oauthToken);
    assertThat(p.scheme()).isEqualTo(Scheme.MIXIN_OAUTH);
    assertThat(p.userId()).isEqualTo(UID);

    String service = new ServiceTokenSigner("billing", "k1", "api", Fixtures.RSA, clock, Duration.ofMinutes(5)).sign("svc");
    assertThat(auth.authenticate("GET", "/me", null, "Bearer " + service).scheme()).isEqualTo(Scheme.SERVICE);
  }

  @Test
  void eachPrincipalNamesTheKeyItWasVerifiedWith() throws Exception {
    // What a long-lived connection re-resolves to learn whether its credential still stands.
    String botToken = new MixinBotSigner(UID, SID, JwsSigner.eddsa(bot), clock).sign("GET", "/me", new byte[0]);
    String oauthToken = new MixinOAuthSigner(APP, AID, oauth, clock).sign("GET", "/me", new byte[0],
        TokenOptions.defaults().withScope("PROFILE:READ"));
    String service = new ServiceTokenSigner("billing", "k1", "api", Fixtures.RSA, clock, Duration.ofMinutes(5)).sign("svc");
    Map<String, KeyRef> expected = Map.of(botToken, new KeyRef(Scheme.MIXIN_BOT, UID, SID),
        oauthToken, new KeyRef(Scheme.MIXIN_OAUTH, APP, AID), service, new KeyRef(Scheme.SERVICE, "billing", "k1"));
    for (Map.Entry<String, KeyRef> e : expected.entrySet()) {
      KeyRef ref = auth.authenticate("GET", "/me", null, "Bearer " + e.getKey()).keyRef().orElseThrow();
      assertThat(ref).isEqualTo(e.getValue());
      assertThat(keys.resolve(ref)).as("resolves in the registry the verifier used").isPresent();
    }
    Principal graphene = new Principal(Scheme.GRAPHENE, "alice", null, null, Set.of(), clock.instant(), "t", Map.of());
    assertThat(graphene.keyRef()).as("a Graphene login has no key in the registry").isEmpty();
  }

  @Test
  void aRefusalNamesTheSchemeOnceItIsKnown() throws Exception {
    String botToken = new MixinBotSigner(UID, SID, JwsSigner.eddsa(bot), clock).sign("GET", "/me", new byte[0]);
    assertThat(refusal(() -> auth.authenticate("POST", "/me", null, "Bearer " + botToken)).scheme()).isEqualTo(Scheme.MIXIN_BOT);
    auth.authenticate("GET", "/me", null, "Bearer " + botToken);
    VerificationException replayed = refusal(() -> auth.authenticate("GET", "/me", null, "Bearer " + botToken));
    assertThat(replayed.failure()).isEqualTo(Failure.REPLAYED);
    assertThat(replayed.scheme()).isEqualTo(Scheme.MIXIN_BOT);
    String service = new ServiceTokenSigner("billing", "k1", "other", Fixtures.RSA, clock, Duration.ofMinutes(5)).sign("svc");
    assertThat(refusal(() -> auth.authenticate("GET", "/me", null, "Bearer " + service)).scheme()).isEqualTo(Scheme.SERVICE);
    VerificationException none = refusal(() -> auth.authenticate("GET", "/me", null, null));
    assertThat(none.scheme()).isNull();
    assertThat(none.in(Scheme.SERVICE).getMessage()).isEqualTo(none.getMessage());
  }

  interface Call {
    void run() throws VerificationException;
  }

  static VerificationException refusal(Call c) {
    try {
      c.run();
    } catch (VerificationException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  @Test
  void refusesWhatNamesNoKeyOrIsNoBearerToken() {
    assertThat(failure(auth, null)).isEqualTo(Failure.MALFORMED);
    assertThat(failure(auth, "Basic dXNlcjpwYXNz")).isEqualTo(Failure.MALFORMED);
    assertThat(failure(auth, "Bearer " + JwsSigner.eddsa(bot).sign(Map.of("sub", "x")))).isEqualTo(Failure.MALFORMED);
  }

  @Test
  void serviceTokensNeedAnAudience() {
    BearerAuthenticator noAudience = new BearerAuthenticator(keys, replay, clock, VerifierPolicy.defaults(), null);
    String service = new ServiceTokenSigner("billing", "k1", "api", Fixtures.RSA, clock, Duration.ofMinutes(5)).sign("svc");
    assertThat(failure(noAudience, "Bearer " + service)).isEqualTo(Failure.AUDIENCE);
  }

  @Test
  void requiredScopesAreCheckedBeforeTheTokenIsConsumedAndCheckLeavesTheClaimToTheCaller() throws Exception {
    String token = new MixinBotSigner(UID, SID, JwsSigner.eddsa(bot), clock).sign("GET", "/a", new byte[0],
        TokenOptions.defaults().withScope("ASSETS:READ"));
    assertThatThrownBy(() -> auth.withRequiredScopes(Set.of("SNAPSHOTS:READ")).authenticate("GET", "/a", null, "Bearer " + token))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SCOPE));
    CheckedToken checked = auth.check("GET", "/a", null, "Bearer " + token);
    assertThat(checked.replayId()).isNotNull();
    // Neither the scope refusal nor the check consumed the token: the first claim succeeds.
    assertThat(checked.consume(replay).userId()).isEqualTo(UID);
    assertThatThrownBy(() -> auth.authenticate("GET", "/a", null, "Bearer " + token))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.REPLAYED));
  }

  @Test
  void theDeploymentsAccessTokensOnlyWhenGivenAVerifierForThem() throws Exception {
    Ed25519PrivateKey issuer = Fixtures.newEd25519();
    AccessTokenVerifier accessTokens = new AccessTokenVerifier() {
      @Override
      public boolean recognizes(Claims c) throws VerificationException {
        return "me".equals(c.optionalString("iss"));
      }

      @Override
      public int maxLength() {
        return 4096;
      }

      @Override
      public Principal verify(ParsedJws jws, Claims c) throws VerificationException {
        jws.verify(JwsKey.eddsa(issuer.publicKey()));
        return new Principal(Scheme.GRAPHENE, c.string("sub"), null, null, Set.of(),
            Instant.ofEpochSecond(c.numericDate("exp")), c.string("jti"), Map.of());
      }
    };
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "me");
    claims.put("sub", "alice");
    claims.put("exp", clock.instant().getEpochSecond() + 60);
    claims.put("jti", "j1");
    String token = "Bearer " + JwsSigner.eddsa(issuer).sign(claims);
    BearerAuthenticator with = new BearerAuthenticator(keys, replay, clock, VerifierPolicy.defaults(), accessTokens);
    assertThat(with.authenticate("GET", "/x", null, token).userId()).isEqualTo("alice");
    assertThat(with.authenticate("GET", "/y", null, token).userId()).as("a bearer token for its lifetime").isEqualTo("alice");
    assertThat(failure(auth, token)).as("not without the verifier").isEqualTo(Failure.MALFORMED);
  }

  static Failure failure(BearerAuthenticator a, String authorization) {
    try {
      a.authenticate("GET", "/me", null, authorization);
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("accepted");
  }
}
