package dev.signet.limits;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} fields of draft-ietf-httpapi-ratelimit-headers-10
 * (structured-field lists: a quoted policy name with {@code q} quota and {@code w} window seconds;
 * then {@code r} remaining and {@code t} seconds until the quota is whole again).
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** {@code "name";q=burst;w=seconds}: the burst is the quota a client can spend at once, refilled over the window it takes. */
  public static String policy(RateLimitPolicy p) {
    long window = Math.max(1, (p.burst() * p.intervalNanos() + 999_999_999L) / 1_000_000_000L);
    return "\"" + p.name() + "\";q=" + p.burst() + ";w=" + window;
  }

  /** {@code "name";r=remaining;t=seconds}. */
  public static String limit(RateLimitPolicy p, Gcra.Decision d) {
    return "\"" + p.name() + "\";r=" + d.remaining() + ";t=" + d.resetSeconds();
  }
}
