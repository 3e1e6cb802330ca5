package dev.signet.replay;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A replay store in process memory, for one node. Entries live only until their expiry; expired
 * entries are swept in amortised O(1) as the map grows. Memory is bounded by {@code capacity}: when
 * that many ids are live at once, new ids are refused ({@code UNAVAILABLE}) rather than evicting a
 * live one, which would let its token be replayed.
 */
public final class InMemoryReplayStore implements ReplayStore {
  private static final int MIN_SWEEP_SIZE = 1024;

  private final Clock clock;
  private final int capacity;
  private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile int nextSweepAt = MIN_SWEEP_SIZE;

  public InMemoryReplayStore(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    long now = clock.millis();
    long expiry = until.toEpochMilli();
    if (expiries.size() >= nextSweepAt) {
      sweep(now);
    }
    if (expiries.size() >= capacity) {
      sweep(now);
      if (expiries.size() >= capacity) {
        Long old = expiries.get(id);
        if (old != null && old > now) {
          return false;
        }
        throw new VerificationException(Failure.UNAVAILABLE, "replay cache is full");
      }
    }
    boolean[] won = new boolean[1];
    // compute() is atomic per key: of racing callers, exactly one sees absent-or-expired.
    expiries.compute(id, (k, old) -> {
      if (old == null || old <= now) {
        won[0] = true;
        return expiry;
      }
      return old;
    });
    return won[0];
  }

  /** Live ids currently remembered (for metrics and tests). */
  public int size() {
    return expiries.size();
  }

  private void sweep(long now) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      expiries.values().removeIf(e -> e <= now);
      nextSweepAt = Math.max(MIN_SWEEP_SIZE, Math.min(capacity, expiries.size() * 2));
    } finally {
      sweeping.set(false);
    }
  }
}
