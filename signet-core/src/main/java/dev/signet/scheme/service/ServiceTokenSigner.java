package dev.signet.scheme.service;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.RsaPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs seed 002 service tokens: RS256 with claims {@code aud exp iat iss jti sub kid}, {@code jti}
 * a nanosecond timestamp as the seed's examples make it (strictly increasing per signer).
 */
public final class ServiceTokenSigner {
  public static final Duration MAX_TTL = Duration.ofHours(1);

  private final String issuer;
  private final String kid;
  private final String audience;
  private final JwsSigner signer;
  private final Clock clock;
  private final Duration ttl;
  private final java.util.concurrent.atomic.AtomicLong lastJti = new java.util.concurrent.atomic.AtomicLong();

  public ServiceTokenSigner(String issuer, String kid, String audience, RsaPrivateKey key, Clock clock, Duration ttl) {
    this.issuer = requireText(issuer, "issuer");
    this.kid = requireText(kid, "kid");
    this.audience = requireText(audience, "audience");
    this.signer = JwsSigner.rsa(key, JwsAlgorithm.RS256);
    this.clock = Objects.requireNonNull(clock);
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("service token ttl must be between 1 s and 1 hour");
    }
    this.ttl = ttl;
  }

  public String sign(String subject) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    claims.put("exp", now + ttl.getSeconds());
    claims.put("iat", now);
    claims.put("iss", issuer);
    claims.put("jti", Long.toString(nextJti()));
    claims.put("sub", requireText(subject, "subject"));
    claims.put("kid", kid);
    return signer.sign(claims);
  }

  private long nextJti() {
    java.time.Instant now = clock.instant();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return lastJti.updateAndGet(prev -> Math.max(prev + 1, nanos));
  }

  private static String requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    return s;
  }
}
