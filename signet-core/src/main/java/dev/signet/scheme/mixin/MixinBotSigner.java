package dev.signet.scheme.mixin;

import dev.signet.jwt.JwsSigner;
import dev.signet.verify.TokenChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Signs bot request tokens as seeds 000/001/003 do: {@code uid sid iat exp jti sig scp}, one fresh
 * token (new {@code jti}) per request. EdDSA for Ed25519 keys, RS512 for legacy RSA keys.
 */
public final class MixinBotSigner {
  private final String uid;
  private final String sid;
  private final JwsSigner signer;
  private final Clock clock;

  public MixinBotSigner(String uid, String sid, JwsSigner signer, Clock clock) {
    this.uid = requireUuid(uid, "uid");
    this.sid = requireUuid(sid, "sid");
    this.signer = Objects.requireNonNull(signer);
    this.clock = Objects.requireNonNull(clock);
  }

  /** A token for one request with default options (5 minutes, scope FULL, random jti). */
  public String sign(String method, String uri, byte[] body) {
    return sign(method, uri, body, TokenOptions.defaults());
  }

  public String sign(String method, String uri, byte[] body, TokenOptions options) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("uid", uid);
    claims.put("sid", sid);
    claims.put("iat", now);
    claims.put("exp", now + options.ttl().getSeconds());
    claims.put("jti", options.jti() != null ? options.jti() : UUID.randomUUID().toString());
    claims.put("sig", TokenChecks.requestSig(method.toUpperCase(java.util.Locale.ROOT), uri, body));
    if (options.scope() != null) {
      claims.put("scp", options.scope());
    }
    return signer.sign(claims);
  }

  static String requireUuid(String v, String what) {
    if (!TokenChecks.isUuid(v)) {
      throw new IllegalArgumentException(what + " must be a UUID");
    }
    return v;
  }

  /**
   * Per-token options.
   *
   * @param ttl time to {@code exp}
   * @param scope the {@code scp} claim, or null to leave it out
   * @param jti the token id, or null for a random UUID
   */
  public record TokenOptions(Duration ttl, String scope, String jti) {
    public TokenOptions {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive");
      }
    }

    public static TokenOptions defaults() {
      return new TokenOptions(Duration.ofMinutes(5), TokenChecks.FULL, null);
    }

    public TokenOptions withTtl(Duration d) {
      return new TokenOptions(d, scope, jti);
    }

    public TokenOptions withScope(String s) {
      return new TokenOptions(ttl, s, jti);
    }

    public TokenOptions withJti(String j) {
      return new TokenOptions(ttl, scope, j);
    }
  }
}
