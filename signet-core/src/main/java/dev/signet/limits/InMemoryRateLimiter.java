package dev.signet.limits;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GCRA state in memory, for one node: a key's {@code tat} kept only while its bucket is not full
 * again, at most {@code maxKeys} of them. When every slot holds a bucket still refilling, a new key
 * is decided as if unseen and not stored: a flood of distinct keys cannot grow memory, and costs
 * its sender its own limits only.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  private final Clock clock;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Long> tats = new ConcurrentHashMap<>();

  public InMemoryRateLimiter(Clock clock, int maxKeys) {
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  @Override
  public RateLimitOutcome acquire(List<Charge> charges) {
    List<Gcra.Decision> decisions = new ArrayList<>(charges.size());
    for (Charge c : charges) {
      Gcra.Decision d = acquire(c);
      decisions.add(d);
      if (!d.allowed()) {
        break;
      }
    }
    return new RateLimitOutcome(charges, decisions);
  }

  /** Decides one request of {@code key} under {@code policy}, and records it when it conforms. */
  public Gcra.Decision acquire(RateLimitPolicy policy, String key) {
    return acquire(new Charge(policy, key));
  }

  private Gcra.Decision acquire(Charge charge) {
    RateLimitPolicy policy = charge.policy();
    long now = nanos();
    String k = charge.id();
    if (!tats.containsKey(k) && tats.size() >= maxKeys) {
      tats.values().removeIf(tat -> tat <= now);
      if (tats.size() >= maxKeys) {
        return Gcra.decide(policy, Long.MIN_VALUE, now);
      }
    }
    Gcra.Decision[] out = new Gcra.Decision[1];
    tats.compute(k, (kk, tat) -> {
      Gcra.Decision d = Gcra.decide(policy, tat == null ? Long.MIN_VALUE : tat, now);
      out[0] = d;
      return d.allowed() ? Long.valueOf(d.tatNanos()) : tat;
    });
    return out[0];
  }

  /** Keys held now. */
  public int size() {
    return tats.size();
  }

  private long nanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
