package dev.signet.scheme.mixin;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.JwtVerifier;
import dev.signet.verify.VerifierPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * OAuth user tokens (seed 003): claims {@code iss aid iat exp sig scp jti}, EdDSA only. The key is
 * the one registered with the authorization {@code aid} for app {@code iss}; the token's scopes are
 * limited to what the user granted.
 */
public final class MixinOAuthVerifier implements JwtVerifier {
  private final KeyResolver keys;
  private final ReplayStore replay;
  private final Clock clock;
  private final VerifierPolicy policy;

  public MixinOAuthVerifier(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy) {
    this.keys = Objects.requireNonNull(keys);
    this.replay = Objects.requireNonNull(replay);
    this.clock = Objects.requireNonNull(clock);
    this.policy = Objects.requireNonNull(policy);
  }

  @Override
  public Scheme scheme() {
    return Scheme.MIXIN_OAUTH;
  }

  @Override
  public Principal verify(AuthRequest request) throws VerificationException {
    ParsedJws jws = CompactJws.parse(request.credential(), policy.maxTokenLength());
    requireEdDsa(jws);
    return verify(request, jws, jws.unverifiedClaims());
  }

  @Override
  public Principal verify(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    return checkExceptReplay(request, jws, c).consume(replay);
  }

  @Override
  public CheckedToken checkExceptReplay(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    requireEdDsa(jws);
    String app = TokenChecks.uuid(c, "iss");
    String aid = TokenChecks.uuid(c, "aid");
    RegisteredKey key = TokenChecks.signedBy(jws, keys, new KeyRef(Scheme.MIXIN_OAUTH, app, aid),
        "no authorization registered for this app");
    Instant until = TokenChecks.freshness(c, clock.instant(), policy);
    TokenChecks.requestBinding(c, request);
    Set<String> scopes = TokenChecks.scopes(c.string("scp"), key.grantedScopes(), policy.requiredScopes(), false);
    String jti = TokenChecks.jti(c);
    return new CheckedToken(new Principal(Scheme.MIXIN_OAUTH, key.userId(), null, app, scopes,
        Instant.ofEpochSecond(c.numericDate("exp")), jti, Map.of("authorization_id", aid)), "mixin-oauth:" + aid + ":" + jti,
        Instant.ofEpochSecond(c.numericDate("iat")), until);
  }

  private static void requireEdDsa(ParsedJws jws) throws VerificationException {
    if (jws.header().algorithm() != JwsAlgorithm.EdDSA) {
      throw new VerificationException(Failure.ALGORITHM, "OAuth tokens are EdDSA only");
    }
  }
}
