package dev.signet.server.graphene;

import dev.signet.jwt.Claims;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.JwsSigner;
import dev.signet.jwt.ParsedJws;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.store.Store;
import dev.signet.verify.AccessTokenVerifier;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.Failure;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Access tokens issued after a Graphene login: EdDSA JWTs signed with the deployment's key (kept
 * in the store), claims {@code iss=signet-graphene sub net lnk aud iat exp jti}, and {@code cnf.jkt}
 * when the login came with a DPoP proof. Without {@code cnf} they are bearer tokens for their
 * lifetime, like a session cookie; with it, only the holder of the bound key can use one (each use
 * with a fresh proof, see {@code BearerAuthenticator}). The login payload itself is single-use.
 */
public final class AccessTokens implements AccessTokenVerifier {
  public static final String ISSUER = "signet-graphene";
  static final String SECRET_NAME = "graphene_access_token_key";
  /** Access tokens are a few hundred characters; anything much longer is not one of ours. */
  public static final int MAX_LENGTH = 4096;
  private final JwsSigner signer;
  private final JwsKey key;
  private final String audience;
  private final Duration ttl;
  private final Clock clock;

  private AccessTokens(Ed25519PrivateKey signingKey, String audience, Duration ttl, Clock clock) {
    this.signer = JwsSigner.eddsa(signingKey);
    this.key = JwsKey.eddsa(signingKey.publicKey());
    this.audience = audience;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The deployment's signing key, kept in the store so that every node sharing it accepts the
   * tokens any node issued: created by the first node to start, read by the others.
   */
  public static AccessTokens load(Store store, String audience, Duration ttl, Clock clock, SecureRandom random,
      Ed25519Provider ed25519) {
    String pem = store.secret(SECRET_NAME).orElseGet(() -> {
      store.createSecret(SECRET_NAME, Ed25519PrivateKey.generate(random).toPkcs8Pem(), clock.instant().getEpochSecond());
      return store.secret(SECRET_NAME).orElseThrow();
    });
    return new AccessTokens(Ed25519PrivateKey.parse(pem).using(ed25519), audience, ttl, clock);
  }

  /** A bearer access token for {@code login}. */
  public Map<String, Object> issue(Principal login) {
    return issue(login, null);
  }

  /**
   * An access token for {@code login}, bound to the DPoP key with thumbprint {@code jkt} (null:
   * a bearer token).
   */
  public Map<String, Object> issue(Principal login, String jkt) {
    long now = clock.instant().getEpochSecond();
    long exp = now + ttl.getSeconds();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", login.userId());
    claims.put("net", login.attributes().get("network"));
    claims.put("lnk", login.attributes().get("link"));
    claims.put("aud", audience);
    claims.put("iat", now);
    claims.put("exp", exp);
    claims.put("jti", UUID.randomUUID().toString());
    if (jkt != null) {
      claims.put("cnf", Map.of("jkt", jkt));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("access_token", signer.sign(claims));
    out.put("token_type", jkt == null ? "Bearer" : "DPoP");
    out.put("expires_at", exp);
    return out;
  }

  @Override
  public boolean recognizes(Claims c) throws VerificationException {
    return ISSUER.equals(c.optionalString("iss")) && c.has("net");
  }

  @Override
  public int maxLength() {
    return MAX_LENGTH;
  }

  @Override
  public Principal verify(ParsedJws jws, Claims c) throws VerificationException {
    jws.verify(key);
    long now = clock.instant().getEpochSecond();
    long exp = c.numericDate("exp");
    if (exp <= now) {
      throw new VerificationException(Failure.EXPIRED, "access token expired; log in again");
    }
    if (!c.audience().contains(audience)) {
      throw new VerificationException(Failure.AUTH_IDENTIFIER, "access token is for another auth_identifier");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("network", c.string("net"));
    attributes.put("link", c.string("lnk"));
    String jkt = boundKey(c);
    if (jkt != null) {
      attributes.put(BearerAuthenticator.DPOP_THUMBPRINT, jkt);
    }
    return new Principal(Scheme.GRAPHENE, c.string("sub"), null, null, Set.of(), Instant.ofEpochSecond(exp), c.string("jti"),
        attributes);
  }

  /** {@code cnf.jkt}, or null without {@code cnf}; a {@code cnf} without a usable {@code jkt} is refused. */
  private static String boundKey(Claims c) throws VerificationException {
    if (!c.has("cnf")) {
      return null;
    }
    Object cnf = c.toMap().get("cnf");
    Object jkt = cnf instanceof Map<?, ?> m ? m.get("jkt") : null;
    if (!(jkt instanceof String s) || s.length() != 43) {
      throw new VerificationException(Failure.MALFORMED, "claim cnf must hold a jkt thumbprint");
    }
    return s;
  }
}
