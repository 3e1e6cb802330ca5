package dev.signet.verify;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.scheme.mixin.MixinOAuthVerifier;
import dev.signet.scheme.service.ServiceTokenVerifier;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies an {@code Authorization: Bearer} request the way {@code signet serve} does on every
 * route: it picks the verifier by the claims that name the token's key ({@code uid}: bot,
 * {@code aid}: OAuth, {@code aud}: service; the deployment's own access tokens when given a
 * verifier for them), and that verifier checks everything. Reading the claims to choose is safe:
 * each verifier pins the algorithm to the registered key. The token is parsed once.
 *
 * <p>Every host (the server, the Servlet filter, the Spring starter, the decision API) uses this
 * class, so a request is refused for the same reasons with the same codes wherever it arrives.
 */
public final class BearerAuthenticator {
  private static final String BEARER = "Bearer ";

  private final KeyResolver keys;
  private final ReplayStore replay;
  private final Clock clock;
  private final VerifierPolicy policy;
  private final AccessTokenVerifier accessTokens;
  private final JwtVerifier bot;
  private final JwtVerifier oauth;
  private final JwtVerifier service;

  /**
   * @param accessTokens the deployment's access tokens, or null to accept none
   * @param policy service tokens are accepted only when it names an audience
   */
  public BearerAuthenticator(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy,
      AccessTokenVerifier accessTokens) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.replay = Objects.requireNonNull(replay, "replay");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.accessTokens = accessTokens;
    this.bot = new MixinBotVerifier(keys, replay, clock, policy);
    this.oauth = new MixinOAuthVerifier(keys, replay, clock, policy);
    this.service = policy.audience() == null ? null : new ServiceTokenVerifier(keys, replay, clock, policy);
  }

  public VerifierPolicy policy() {
    return policy;
  }

  /** The same authenticator with other keys (e.g. a cache-only view of them); the same replay store. */
  public BearerAuthenticator withKeys(KeyResolver other) {
    return new BearerAuthenticator(other, replay, clock, policy, accessTokens);
  }

  /** The same authenticator requiring these scopes (checked before the token is consumed). */
  public BearerAuthenticator withRequiredScopes(Set<String> scopes) {
    return new BearerAuthenticator(keys, replay, clock, policy.withRequiredScopes(scopes), accessTokens);
  }

  /**
   * Every check and the single-use claim: the principal of a request that may proceed.
   *
   * @param authorization the {@code Authorization} header as received, or null
   */
  public Principal authenticate(String method, String target, byte[] body, String authorization)
      throws VerificationException {
    return check(method, target, body, authorization).consume(replay);
  }

  /** Every check but single use (see {@link CheckedToken}): for hosts whose replay store answers asynchronously. */
  public CheckedToken check(String method, String target, byte[] body, String authorization) throws VerificationException {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      throw new VerificationException(Failure.MALFORMED, "missing Authorization: Bearer token");
    }
    String token = authorization.substring(BEARER.length());
    ParsedJws jws = CompactJws.parse(token, policy.maxTokenLength());
    Claims claims = jws.unverifiedClaims();
    JwtVerifier v;
    if (accessTokens != null && accessTokens.recognizes(claims)) {
      if (token.length() > accessTokens.maxLength()) {
        throw new VerificationException(Failure.MALFORMED, "access token longer than " + accessTokens.maxLength() + " characters");
      }
      // Access tokens are bearer tokens for their lifetime: nothing to claim.
      return CheckedToken.reusable(accessTokens.verify(jws, claims));
    } else if (claims.has("aud")) {
      if (service == null) {
        throw new VerificationException(Failure.AUDIENCE, "this server accepts no service tokens (no audience configured)");
      }
      v = service;
    } else if (claims.has("aid")) {
      v = oauth;
    } else if (claims.has("uid")) {
      v = bot;
    } else {
      throw new VerificationException(Failure.MALFORMED, "token names no key (uid, aid or aud)");
    }
    return v.checkExceptReplay(new AuthRequest(method, target, body, token), jws, claims);
  }
}
