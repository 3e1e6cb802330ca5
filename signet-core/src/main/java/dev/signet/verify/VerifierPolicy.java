package dev.signet.verify;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How strict a verifier is.
 *
 * @param acceptanceWindow how long after {@code iat} a token is accepted, and so how long its
 *     {@code jti} is remembered (seed 003 tokens live 90 days; the window keeps the replay cache bounded)
 * @param clockSkew how far in the future {@code iat} (and {@code nbf}) may be
 * @param audience the required {@code aud} for service tokens, or null where there is none
 * @param maxLifetime the largest {@code exp - iat} a service token may have
 * @param requiredScopes scopes the token must cover
 * @param maxTokenLength tokens longer than this are refused unread
 * @param issuedAfter if set, tokens with {@code iat} at or before this second are refused: a server
 *     whose replay cache lives in memory sets its start time here, so that no token it may have
 *     accepted before a restart is accepted after it
 * @param reuse how often a token of each scheme may be used (absent: {@link Reuse#ONCE}); only
 *     {@link Scheme#SERVICE} may be {@link Reuse#UNTIL_EXPIRY}
 */
public record VerifierPolicy(Duration acceptanceWindow, Duration clockSkew, String audience,
    Duration maxLifetime, Set<String> requiredScopes, int maxTokenLength, java.time.Instant issuedAfter,
    Map<Scheme, Reuse> reuse) {

  public VerifierPolicy {
    Objects.requireNonNull(acceptanceWindow, "acceptanceWindow");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    requiredScopes = Set.copyOf(requiredScopes);
    reuse = reuse == null ? Map.of() : Map.copyOf(reuse);
    reuse.forEach((scheme, r) -> {
      if (r == Reuse.UNTIL_EXPIRY && scheme != Scheme.SERVICE) {
        throw new IllegalArgumentException(scheme.wireName() + " tokens are single use: only service tokens may be reused");
      }
    });
    if (acceptanceWindow.isNegative() || acceptanceWindow.isZero()) {
      throw new IllegalArgumentException("acceptanceWindow must be positive");
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative");
    }
    if (maxTokenLength < 64) {
      throw new IllegalArgumentException("maxTokenLength must be at least 64");
    }
  }

  /** Window 5 minutes, skew 30 seconds, lifetime 1 hour, no audience, no scopes, 8 KiB tokens. */
  public static VerifierPolicy defaults() {
    return new VerifierPolicy(Duration.ofMinutes(5), Duration.ofSeconds(30), null, Duration.ofHours(1), Set.of(), 8192, null, Map.of());
  }

  public VerifierPolicy withAcceptanceWindow(Duration d) {
    return new VerifierPolicy(d, clockSkew, audience, maxLifetime, requiredScopes, maxTokenLength, issuedAfter, reuse);
  }

  public VerifierPolicy withClockSkew(Duration d) {
    return new VerifierPolicy(acceptanceWindow, d, audience, maxLifetime, requiredScopes, maxTokenLength, issuedAfter, reuse);
  }

  public VerifierPolicy withAudience(String aud) {
    return new VerifierPolicy(acceptanceWindow, clockSkew, aud, maxLifetime, requiredScopes, maxTokenLength, issuedAfter, reuse);
  }

  public VerifierPolicy withMaxLifetime(Duration d) {
    return new VerifierPolicy(acceptanceWindow, clockSkew, audience, d, requiredScopes, maxTokenLength, issuedAfter, reuse);
  }

  public VerifierPolicy withRequiredScopes(Set<String> scopes) {
    return new VerifierPolicy(acceptanceWindow, clockSkew, audience, maxLifetime, scopes, maxTokenLength, issuedAfter, reuse);
  }

  public VerifierPolicy withIssuedAfter(java.time.Instant t) {
    return new VerifierPolicy(acceptanceWindow, clockSkew, audience, maxLifetime, requiredScopes, maxTokenLength, t, reuse);
  }

  /**
   * This policy made safe across restarts for {@code store}: a replay store in this process's
   * memory forgets every token at a restart, so then tokens issued at or before now are refused
   * ({@code stale}) and none used before a restart is accepted after it. Clients sign a fresh token
   * per request anyway. Stores shared across processes (Redis) leave the policy as it is.
   */
  public VerifierPolicy restartSafe(dev.signet.replay.ReplayStore store, java.time.Clock clock) {
    return store instanceof dev.signet.replay.InMemoryReplayStore && issuedAfter == null ? withIssuedAfter(clock.instant()) : this;
  }

  public VerifierPolicy withMaxTokenLength(int n) {
    return new VerifierPolicy(acceptanceWindow, clockSkew, audience, maxLifetime, requiredScopes, n, issuedAfter, reuse);
  }

  /** How often a token of {@code scheme} may be used. */
  public Reuse reuse(Scheme scheme) {
    return reuse.getOrDefault(scheme, Reuse.ONCE);
  }

  /** This policy with {@code scheme}'s tokens used {@code r}. */
  public VerifierPolicy withReuse(Scheme scheme, Reuse r) {
    Map<Scheme, Reuse> m = new java.util.EnumMap<>(Scheme.class);
    m.putAll(reuse);
    m.put(scheme, r);
    return new VerifierPolicy(acceptanceWindow, clockSkew, audience, maxLifetime, requiredScopes, maxTokenLength, issuedAfter, m);
  }
}
