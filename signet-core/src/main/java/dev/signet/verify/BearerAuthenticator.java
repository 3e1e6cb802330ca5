package dev.signet.verify;

import dev.signet.dpop.DpopVerifier;
import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.scheme.httpsig.HttpSignatureVerifier;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.scheme.mixin.MixinOAuthVerifier;
import dev.signet.scheme.service.ServiceTokenVerifier;
import java.time.Clock;
import java.util.List;
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
  private static final String DPOP = "DPoP ";

  private final KeyResolver keys;
  private final ReplayStore replay;
  private final Clock clock;
  private final VerifierPolicy policy;
  private final AccessTokenVerifier accessTokens;
  private final DpopVerifier dpop;
  private final List<String> signatureComponents;
  private final HttpSignatureVerifier httpSignatures;
  private final JwtVerifier bot;
  private final JwtVerifier oauth;
  private final JwtVerifier service;

  /**
   * @param accessTokens the deployment's access tokens, or null to accept none
   * @param policy service tokens are accepted only when it names an audience
   */
  public BearerAuthenticator(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy,
      AccessTokenVerifier accessTokens) {
    this(keys, replay, clock, policy, accessTokens, null);
  }

  /**
   * @param dpop checks the proofs that DPoP-bound access tokens ({@code cnf.jkt}) must come with;
   *     null to refuse such tokens
   */
  public BearerAuthenticator(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy,
      AccessTokenVerifier accessTokens, DpopVerifier dpop) {
    this(keys, replay, clock, policy, accessTokens, dpop, HttpSignatureVerifier.DEFAULT_REQUIRED);
  }

  private BearerAuthenticator(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy,
      AccessTokenVerifier accessTokens, DpopVerifier dpop, List<String> signatureComponents) {
    this.dpop = dpop;
    this.signatureComponents = List.copyOf(signatureComponents);
    this.httpSignatures = new HttpSignatureVerifier(keys, clock, policy, signatureComponents);
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
    return new BearerAuthenticator(other, replay, clock, policy, accessTokens, dpop, signatureComponents);
  }

  /** The same authenticator requiring these scopes (checked before the token is consumed). */
  public BearerAuthenticator withRequiredScopes(Set<String> scopes) {
    return new BearerAuthenticator(keys, replay, clock, policy.withRequiredScopes(scopes), accessTokens, dpop, signatureComponents);
  }

  /**
   * The same authenticator requiring HTTP message signatures to cover {@code components}
   * (default {@link HttpSignatureVerifier#DEFAULT_REQUIRED}).
   */
  public BearerAuthenticator withSignatureComponents(List<String> components) {
    return new BearerAuthenticator(keys, replay, clock, policy, accessTokens, dpop, components);
  }

  /** Every check and the single-use claim, for a request authenticated by whatever it carries (see {@link #check(RequestView)}). */
  public Principal authenticate(RequestView r) throws VerificationException {
    return check(r).consume(replay);
  }

  /**
   * Every check but single use, for a request authenticated by whatever it carries: an
   * {@code Authorization} header (a token, with its {@code DPoP} proof when bound), or else an
   * RFC 9421 signature ({@code Signature-Input}).
   */
  public CheckedToken check(RequestView r) throws VerificationException {
    String authorization = r.header("Authorization");
    if (authorization == null && !r.headers().apply("Signature-Input").isEmpty()) {
      try {
        return httpSignatures.check(r);
      } catch (VerificationException e) {
        throw e.in(Scheme.HTTP_SIGNATURE);
      }
    }
    return check(r.method(), r.target(), r.body(), authorization, r.header("DPoP"), r.origin());
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
    return check(method, target, body, authorization, null, null);
  }

  /**
   * As {@link #check(String, String, byte[], String)}, for a request that may carry a DPoP-bound
   * access token ({@code Authorization: DPoP <token>}).
   *
   * @param dpopProof the request's one {@code DPoP} header, or null
   * @param origin {@code scheme://host[:port]} as the client addressed the request (for {@code htu})
   */
  public CheckedToken check(String method, String target, byte[] body, String authorization, String dpopProof, String origin)
      throws VerificationException {
    boolean dpopScheme = authorization != null && authorization.startsWith(DPOP);
    if (authorization == null || !(dpopScheme || authorization.startsWith(BEARER))) {
      throw new VerificationException(Failure.MALFORMED, "missing Authorization: Bearer token (or an HTTP message signature)");
    }
    String token = authorization.substring(dpopScheme ? DPOP.length() : BEARER.length());
    ParsedJws jws = CompactJws.parse(token, policy.maxTokenLength());
    Claims claims = jws.unverifiedClaims();
    JwtVerifier v;
    if (accessTokens != null && accessTokens.recognizes(claims)) {
      try {
        if (token.length() > accessTokens.maxLength()) {
          throw new VerificationException(Failure.MALFORMED, "access token longer than " + accessTokens.maxLength() + " characters");
        }
        return accessToken(accessTokens.verify(jws, claims), token, dpopScheme, method, target, dpopProof, origin);
      } catch (VerificationException e) {
        throw e.in(Scheme.GRAPHENE);
      }
    } else if (dpopScheme) {
      throw new VerificationException(Failure.DPOP_PROOF, "only access tokens issued with a DPoP proof are sent as DPoP; use Bearer");
    } else if (claims.has("aud")) {
      if (service == null) {
        throw new VerificationException(Failure.AUDIENCE, "this server accepts no service tokens (no audience configured)")
            .in(Scheme.SERVICE);
      }
      v = service;
    } else if (claims.has("aid")) {
      v = oauth;
    } else if (claims.has("uid")) {
      v = bot;
    } else {
      throw new VerificationException(Failure.MALFORMED, "token names no key (uid, aid or aud)");
    }
    try {
      return v.checkExceptReplay(new AuthRequest(method, target, body, token), jws, claims);
    } catch (VerificationException e) {
      throw e.in(v.scheme());
    }
  }

  /**
   * A bearer access token is reusable for its lifetime; one bound to a key ({@code jkt} attribute,
   * from {@code cnf.jkt}) only as {@code DPoP} with a fresh proof by that key, whose {@code jti}
   * is then the single-use id.
   */
  private CheckedToken accessToken(Principal p, String token, boolean dpopScheme, String method, String target, String proof,
      String origin) throws VerificationException {
    String jkt = p.attributes().get(DPOP_THUMBPRINT);
    if (jkt == null) {
      if (dpopScheme) {
        throw new VerificationException(Failure.DPOP_PROOF, "this access token is not DPoP-bound; send it as Bearer");
      }
      return CheckedToken.reusable(p);
    }
    if (!dpopScheme) {
      throw new VerificationException(Failure.DPOP_PROOF,
          "this access token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof, not as Bearer");
    }
    if (dpop == null || origin == null) {
      throw new VerificationException(Failure.DPOP_PROOF, "this host does not accept DPoP-bound tokens");
    }
    int q = target.indexOf('?');
    DpopVerifier.Checked c = dpop.check(proof, method, origin + (q < 0 ? target : target.substring(0, q)), token, jkt);
    return new CheckedToken(p, c.replayId(), c.issuedAt(), c.until());
  }

  /** The {@link Principal} attribute that holds a DPoP-bound access token's {@code cnf.jkt}. */
  public static final String DPOP_THUMBPRINT = "jkt";
}
