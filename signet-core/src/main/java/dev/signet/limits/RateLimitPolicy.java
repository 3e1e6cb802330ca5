package dev.signet.limits;

import java.util.Objects;

/**
 * A named rate limit: {@code rate} requests per {@code perSeconds}, with bursts of up to
 * {@code burst} at once, counted per {@code key} (whose the requests are).
 */
public record RateLimitPolicy(String name, Key key, long rate, long perSeconds, long burst) {
  private static final long TEN_YEARS_NANOS = 10L * 366 * 86_400 * 1_000_000_000L;

  /** What a policy counts requests by, of a verified principal (or of the request). */
  public enum Key {
    USER("user"), SESSION("session"), OAUTH_APP("oauth_app"), SERVICE_ISSUER("service_issuer"), ROUTE("route"), ADDRESS("address");

    private final String wireName;

    Key(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** @throws IllegalArgumentException naming the keys there are */
    public static Key of(String name) {
      for (Key k : values()) {
        if (k.wireName.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown key '" + name + "' (user, session, oauth_app, service_issuer, route or address)");
    }
  }

  public RateLimitPolicy {
    Objects.requireNonNull(key, "key");
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("a policy name is 1-64 of A-Z a-z 0-9 _ . -");
    }
    if (rate < 1 || perSeconds < 1 || perSeconds > 86_400 || burst < 1) {
      throw new IllegalArgumentException("policy " + name + ": rate and burst must be positive, per_seconds 1-86400");
    }
    if (rate > perSeconds * 1_000_000L) {
      throw new IllegalArgumentException("policy " + name + ": at most 1000000 requests per second");
    }
    // The bucket's whole span, burst x interval, stays far from overflowing nanosecond arithmetic.
    if (burst > TEN_YEARS_NANOS / (perSeconds * 1_000_000_000L / rate)) {
      throw new IllegalArgumentException("policy " + name + ": burst x per_seconds / rate must be at most ten years");
    }
  }

  /**
   * A policy as it is configured: {@code key} by its wire name, {@code perSeconds} 1 and
   * {@code burst} {@code rate} when not given.
   *
   * @throws IllegalArgumentException naming what is wrong ({@code rate} not given, an unknown key, ...)
   */
  public static RateLimitPolicy configured(String name, String key, Long rate, Long perSeconds, Long burst) {
    if (rate == null) {
      throw new IllegalArgumentException("rate must be set");
    }
    return new RateLimitPolicy(name, Key.of(key == null ? "" : key), rate, perSeconds == null ? 1 : perSeconds,
        burst == null ? Math.max(1, rate) : burst);
  }

  /** Nanoseconds between two requests at the sustained rate (GCRA's emission interval). */
  public long intervalNanos() {
    return perSeconds * 1_000_000_000L / rate;
  }
}
