package dev.signet.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * GCRA in Redis, for every instance sharing the limits ({@code signet serve}'s nodes and the
 * Spring starter's): each key holds its theoretical arrival time in microseconds, expiring when
 * its bucket is whole again, so idle keys cost nothing. Time is Redis's own ({@code TIME}), so
 * instances whose clocks differ still count one limit. The same decision as {@link Gcra}, at
 * microsecond rather than nanosecond resolution.
 *
 * <p>{@link #FUNCTION} is a Lua fragment that other scripts include (the replay claim runs it in
 * the same call, {@code dev.signet.replay.RedisReplayScript#CLAIM_AND_LIMIT}): {@code limits(out,
 * firstKey, firstArg)} decides {@code KEYS[firstKey..]} with {@code ARGV} pairs of interval (µs) and
 * burst from {@code firstArg}, appending four numbers per decision to {@code out} (allowed 1|0,
 * remaining, retry-after s, reset s), and stops after the first refusal.
 */
public final class RedisRateLimitScript {
  /** Where limiter keys live, after the deployment's prefix. */
  public static final String KEY_PREFIX = "rl:";

  // Numbers go to redis.call as they are: Redis writes them with %.17g, exact for these integers (< 2^53).
  public static final String FUNCTION = """
      local function gcra(key, interval, burst, now)
        local tolerance = (burst - 1) * interval
        local ahead = (tonumber(redis.call('GET', key)) or now) - now
        if ahead < 0 then ahead = 0 end
        if ahead > tolerance then
          return 0, 0, math.max(1, math.ceil((ahead - tolerance) / 1000000)), math.ceil(ahead / 1000000)
        end
        ahead = ahead + interval
        redis.call('SET', key, now + ahead, 'PX', math.ceil(ahead / 1000))
        return 1, math.floor((tolerance - ahead) / interval) + 1, 0, math.ceil(ahead / 1000000)
      end
      local function limits(out, k, a)
        if not KEYS[k] then return out end
        local t = redis.call('TIME')
        local now = t[1] * 1000000 + t[2]
        local n = #out
        while KEYS[k] do
          local ok, remaining, wait, reset = gcra(KEYS[k], tonumber(ARGV[a]), tonumber(ARGV[a + 1]), now)
          out[n + 1], out[n + 2], out[n + 3], out[n + 4] = ok, remaining, wait, reset
          n = n + 4
          if ok == 0 then return out end
          k = k + 1
          a = a + 2
        end
        return out
      end
      """;

  /** KEYS: the limiter keys; ARGV: interval (µs) and burst per key. Returns four numbers per decision. */
  public static final String LIMIT = FUNCTION + "return limits({}, 1, 1)\n";

  private RedisRateLimitScript() {}

  /** The keys of {@code charges}, under {@code prefix}. */
  public static List<String> keys(String prefix, List<Charge> charges) {
    List<String> out = new ArrayList<>(charges.size());
    for (Charge c : charges) {
      out.add(prefix + KEY_PREFIX + c.id());
    }
    return out;
  }

  /** Interval (µs) and burst of each charge's policy, in order. */
  public static List<String> args(List<Charge> charges) {
    List<String> out = new ArrayList<>(charges.size() * 2);
    for (Charge c : charges) {
      out.add(Long.toString(Math.max(1, c.policy().intervalNanos() / 1000)));
      out.add(Long.toString(c.policy().burst()));
    }
    return out;
  }

  /**
   * The decisions in {@code answer} from index {@code from}: four numbers each.
   *
   * @throws IllegalArgumentException for an answer that is not whole
   */
  public static RateLimitOutcome outcome(List<Charge> charges, List<Long> answer, int from) {
    int n = (answer.size() - from) / 4;
    if (from > answer.size() || (answer.size() - from) % 4 != 0 || n > charges.size()) {
      throw new IllegalArgumentException("rate limiter answer of " + answer.size() + " numbers");
    }
    List<Gcra.Decision> decisions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = from + 4 * i;
      decisions.add(new Gcra.Decision(answer.get(at) == 1, 0, answer.get(at + 1), answer.get(at + 2), answer.get(at + 3)));
    }
    if (n < charges.size() && (n == 0 || decisions.get(n - 1).allowed())) {
      throw new IllegalArgumentException("rate limiter answered " + n + " of " + charges.size() + " charges");
    }
    return new RateLimitOutcome(charges, decisions);
  }
}
