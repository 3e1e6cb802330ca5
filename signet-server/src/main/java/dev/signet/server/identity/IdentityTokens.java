package dev.signet.server.identity;

import dev.signet.jwt.JwsSigner;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code X-Signet-Identity}: a short-lived EdDSA JWT saying who a verified request came from, for
 * upstreams that should not trust bare {@code X-Signet-*} headers (like Ory Oathkeeper's
 * {@code id_token} mutator). Claims {@code iss aud sub sid scheme scp iat exp jti}; header
 * {@code kid} = the key's RFC 7638 thumbprint, published at {@code /.well-known/jwks.json}.
 *
 * <p>Signing costs about as much as verifying the request, so a token is reused for the same
 * identity and audience while more than half of its lifetime is left (as Oathkeeper's mutator
 * caches): its {@code jti} names the token, not the request.
 */
public final class IdentityTokens {
  private static final int MAX_CACHED = 10_000;

  private record Identity(String userId, String sessionId, Scheme scheme, Set<String> scopes, String audience) {}

  private record Issued(String token, String kid, long expiresAt) {}

  private final ConcurrentHashMap<Identity, Issued> issued = new ConcurrentHashMap<>();
  private final IdentityKeys keys;
  private final String issuer;
  private final Duration ttl;
  private final Clock clock;

  public IdentityTokens(IdentityKeys keys, String issuer, Duration ttl, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.ttl = ttl;
    this.clock = clock;
  }

  public IdentityKeys keys() {
    return keys;
  }

  public String issue(Principal p, String audience) {
    IdentityKeys.Key key = keys.signing();
    long now = clock.instant().getEpochSecond();
    Identity who = new Identity(p.userId(), p.sessionId(), p.scheme(), p.scopes(), audience);
    Issued cached = issued.get(who);
    if (cached != null && cached.kid().equals(key.kid()) && (cached.expiresAt() - now) * 2 > ttl.getSeconds()) {
      return cached.token();
    }
    String token = sign(key, p, audience, now);
    if (issued.size() >= MAX_CACHED) {
      issued.clear();
    }
    issued.put(who, new Issued(token, key.kid(), now + ttl.getSeconds()));
    return token;
  }

  private String sign(IdentityKeys.Key key, Principal p, String audience, long now) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("aud", audience);
    claims.put("sub", p.userId());
    if (p.sessionId() != null) {
      claims.put("sid", p.sessionId());
    }
    claims.put("scheme", p.scheme().wireName());
    claims.put("scp", String.join(" ", p.scopes().stream().sorted().toList()));
    claims.put("iat", now);
    claims.put("exp", now + ttl.getSeconds());
    claims.put("jti", UUID.randomUUID().toString());
    return JwsSigner.eddsa(key.key()).sign(Map.of("kid", key.kid()), claims);
  }
}
