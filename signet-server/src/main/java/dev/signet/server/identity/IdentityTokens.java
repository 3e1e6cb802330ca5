package dev.signet.server.identity;

import dev.signet.jwt.JwsSigner;
import dev.signet.verify.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code X-Signet-Identity}: a short-lived EdDSA JWT saying who a verified request came from, for
 * upstreams that should not trust bare {@code X-Signet-*} headers (like Ory Oathkeeper's
 * {@code id_token} mutator). Claims {@code iss aud sub sid scheme scp iat exp jti}; header
 * {@code kid} = the key's RFC 7638 thumbprint, published at {@code /.well-known/jwks.json}.
 */
public final class IdentityTokens {
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
