package dev.signet.limits;

/**
 * The generic cell rate algorithm (as redis-cell does): one number per key, the theoretical
 * arrival time ({@code tat}) of the next request at the sustained rate, and no timers. A request
 * at {@code now} conforms when {@code tat - now <= (burst - 1) * interval}; it then moves
 * {@code tat} one interval on. Exact at the boundary (integer nanoseconds throughout).
 */
public final class Gcra {
  private Gcra() {}

  /**
   * @param allowed whether the request conforms
   * @param tatNanos the key's new state (unchanged when refused)
   * @param remaining requests that would conform right after this one
   * @param retryAfterSeconds for a refusal: when one would conform (rounded up, at least 1)
   * @param resetSeconds when the whole burst is available again (rounded up)
   */
  public record Decision(boolean allowed, long tatNanos, long remaining, long retryAfterSeconds, long resetSeconds) {}

  /** @param tatNanos the key's state, or {@code Long.MIN_VALUE} for a key not seen (or forgotten) */
  public static Decision decide(RateLimitPolicy p, long tatNanos, long nowNanos) {
    long interval = p.intervalNanos();
    long tolerance = (p.burst() - 1) * interval;
    long tat = Math.max(tatNanos, nowNanos);
    if (tat - nowNanos > tolerance) {
      long wait = tat - nowNanos - tolerance;
      return new Decision(false, tatNanos, 0, Math.max(1, ceilSeconds(wait)), ceilSeconds(tat - nowNanos));
    }
    long next = tat + interval;
    long remaining = Math.floorDiv(tolerance - (next - nowNanos), interval) + 1;
    return new Decision(true, next, Math.max(0, remaining), 0, ceilSeconds(next - nowNanos));
  }

  private static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
