package dev.signet.server;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.scheme.mixin.MixinOAuthVerifier;
import dev.signet.scheme.service.ServiceTokenVerifier;
import dev.signet.server.graphene.AccessTokens;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.VerificationException;
import dev.signet.verify.JwtVerifier;
import dev.signet.verify.VerifierPolicy;
import java.time.Clock;

/**
 * Picks the verifier for a bearer token by the claims that name its key ({@code uid}: bot,
 * {@code aid}: OAuth, {@code aud}: service; Graphene access tokens by their issuer), then lets that
 * verifier check everything. Reading the
 * claims to choose is safe: each verifier pins the algorithm to the registered key.
 */
final class Authenticator {
  private final JwtVerifier bot;
  private final JwtVerifier oauth;
  private final JwtVerifier service;
  private final int maxTokenLength;
  private final AccessTokens accessTokens;

  Authenticator(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy, AccessTokens accessTokens) {
    this.accessTokens = accessTokens;
    this.maxTokenLength = policy.maxTokenLength();
    this.bot = new MixinBotVerifier(keys, replay, clock, policy);
    this.oauth = new MixinOAuthVerifier(keys, replay, clock, policy);
    this.service = policy.audience() == null ? null : new ServiceTokenVerifier(keys, replay, clock, policy);
  }

  /**
   * Every check but single use (see {@link CheckedToken}). With a {@link StoreKeyResolver#cachedOnly}
   * resolver it may throw {@link StoreKeyResolver.NotCached}, having consumed nothing.
   */
  CheckedToken check(String method, String target, byte[] body, String authorization) throws VerificationException {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw new VerificationException(Failure.MALFORMED, "missing Authorization: Bearer token");
    }
    String token = authorization.substring(7);
    ParsedJws jws = CompactJws.parse(token, maxTokenLength);
    Claims claims = jws.unverifiedClaims();
    JwtVerifier v;
    if (accessTokens != null && AccessTokens.isAccessToken(claims)) {
      if (token.length() > AccessTokens.MAX_LENGTH) {
        throw new VerificationException(Failure.MALFORMED, "access token longer than " + AccessTokens.MAX_LENGTH + " characters");
      }
      // Access tokens are bearer tokens for their lifetime: nothing to claim.
      return new CheckedToken(accessTokens.verify(jws, claims), null, null);
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
    // The token was parsed once, here, to choose; the verifier checks that same parse.
    return v.checkExceptReplay(new AuthRequest(method, target, body, token), jws, claims);
  }
}
