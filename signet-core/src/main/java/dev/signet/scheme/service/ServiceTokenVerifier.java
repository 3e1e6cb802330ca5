package dev.signet.scheme.service;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Reuse;
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
 * Service tokens (seed 002): RS256, claims {@code aud exp iat iss jti sub} and the key id as a
 * {@code kid} claim (a header {@code kid} is accepted too; if both are present they must agree).
 * {@code aud} must match, and {@code exp - iat} may not exceed the policy's maximum lifetime.
 * Single use by default; with the policy's {@link Reuse#UNTIL_EXPIRY} for service tokens, a token
 * is accepted any number of times until {@code exp} (a bearer token: see {@link Reuse}).
 */
public final class ServiceTokenVerifier implements JwtVerifier {
  private final KeyResolver keys;
  private final ReplayStore replay;
  private final Clock clock;
  private final VerifierPolicy policy;

  public ServiceTokenVerifier(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy) {
    if (policy.audience() == null || policy.audience().isEmpty()) {
      throw new IllegalArgumentException("service tokens need a policy audience");
    }
    this.keys = Objects.requireNonNull(keys);
    this.replay = Objects.requireNonNull(replay);
    this.clock = Objects.requireNonNull(clock);
    this.policy = policy;
  }

  @Override
  public Scheme scheme() {
    return Scheme.SERVICE;
  }

  @Override
  public Principal verify(AuthRequest request) throws VerificationException {
    ParsedJws jws = CompactJws.parse(request.credential(), policy.maxTokenLength());
    return verify(request, jws, jws.unverifiedClaims());
  }

  @Override
  public Principal verify(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    return checkExceptReplay(request, jws, c).consume(replay);
  }

  @Override
  public CheckedToken checkExceptReplay(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    String iss = c.string("iss");
    String kid = keyId(c, jws.header().keyId());
    RegisteredKey key = TokenChecks.signedBy(jws, keys, new KeyRef(Scheme.SERVICE, iss, kid),
        "no service key registered for this issuer and kid");
    boolean reusable = policy.reuse(Scheme.SERVICE) == Reuse.UNTIL_EXPIRY;
    Instant until = null;
    if (reusable) {
      TokenChecks.validUntilExpiry(c, clock.instant(), policy);
    } else {
      until = TokenChecks.freshness(c, clock.instant(), policy);
    }
    long lifetime = c.numericDate("exp") - c.numericDate("iat");
    if (lifetime > policy.maxLifetime().getSeconds()) {
      throw new VerificationException(Failure.LIFETIME,
          "token lifetime " + lifetime + " s exceeds " + policy.maxLifetime().getSeconds() + " s");
    }
    if (!c.audience().contains(policy.audience())) {
      throw new VerificationException(Failure.AUDIENCE, "token is not for audience " + policy.audience());
    }
    String sub = c.string("sub");
    if (c.has("sig")) {
      TokenChecks.requestBinding(c, request);
    }
    Set<String> scopes = TokenChecks.scopes(c.optionalString("scp"), key.grantedScopes(), policy.requiredScopes(), true);
    String jti = TokenChecks.jti(c);
    Principal principal = new Principal(Scheme.SERVICE, sub, null, iss, scopes,
        Instant.ofEpochSecond(c.numericDate("exp")), jti, Map.of("kid", kid));
    if (reusable) {
      return CheckedToken.reusable(principal);
    }
    return new CheckedToken(principal, "service:" + iss + ":" + kid + ":" + jti, Instant.ofEpochSecond(c.numericDate("iat")), until);
  }

  private static String keyId(Claims c, String headerKid) throws VerificationException {
    String claimKid = c.optionalString("kid");
    if (claimKid != null && headerKid != null && !claimKid.equals(headerKid)) {
      throw new VerificationException(Failure.MALFORMED, "kid claim and kid header differ");
    }
    String kid = claimKid != null ? claimKid : headerKid;
    if (kid == null || kid.isEmpty()) {
      throw new VerificationException(Failure.MALFORMED, "missing kid (claim or header)");
    }
    return kid;
  }
}
