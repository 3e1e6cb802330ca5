package dev.signet.replay;

import dev.signet.codec.Sha256;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replay store in process memory, for one node. Each id is kept as 128 bits of its SHA-256 with
 * its expiry, in open-addressed {@code long[]} tables split into locked segments: no object per
 * entry, so a server remembering millions of live ids keeps a small, flat heap that the garbage
 * collector does not have to trace or copy entry by entry (boxed entries in a map cost ~190 bytes
 * each and long young-generation pauses under load).
 *
 * <p>Expired entries are dropped when a segment grows, and when the store nears its capacity: at 90%
 * held, a round of sweeps starts, one segment per request until every segment has been swept once,
 * and at 100% a request sweeps until there is room; a segment at most once a second (so that a
 * store full of live ids does not sweep on every request). Memory is
 * bounded by {@code capacity}: when that many ids are held at once, new ids are refused
 * ({@code UNAVAILABLE}) rather than evicting a live one, which would let its token be replayed.
 */
public final class InMemoryReplayStore implements ReplayStore {
  private static final int SEGMENTS = 64;
  private static final int INITIAL_SLOTS = 64;
  /**
   * Segments rebuild at different loads, from 60% to 79% full. Ids spread evenly, so with one
   * threshold every segment reached it within seconds of the others, and at peak load their 64
   * rebuilds (each a scan and a new multi-megabyte table) queued requests behind one another: a p99
   * spike in soak runs (BENCHMARKS.md). Staggered, the rebuilds drift minutes apart.
   */
  private static final int MIN_LOAD_PERCENT = 60;
  private static final int MAX_LOAD_PERCENT = 80;
  /** A segment sweeps out its expired ids at most this often: a sweep visits its every entry. */
  private static final long SWEEP_INTERVAL_MILLIS = 1000;

  private final Clock clock;
  private final int capacity;
  /** Held ids at which a round of sweeps starts: 90% of the capacity. */
  private final int sweepFrom;
  private final Segment[] segments = new Segment[SEGMENTS];
  /** Entries held (live or expired but not yet dropped), over all segments. */
  private final AtomicInteger held = new AtomicInteger();
  /** Where the next sweep for room starts: successive ones go round the segments. */
  private final AtomicInteger nextSweep = new AtomicInteger();
  /** Sweeps left in the round started at 90%: one per request, so that no request pays for all. */
  private final AtomicInteger sweepsDue = new AtomicInteger();
  private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(Sha256::newDigest);

  public InMemoryReplayStore(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.clock = clock;
    this.capacity = capacity;
    this.sweepFrom = capacity - capacity / 10;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment(MIN_LOAD_PERCENT + (MAX_LOAD_PERCENT - MIN_LOAD_PERCENT) * i / SEGMENTS);
    }
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    long now = clock.millis();
    long expiry = until.toEpochMilli();
    ByteBuffer digest = ByteBuffer.wrap(sha256.get().digest(id.getBytes(StandardCharsets.UTF_8)));
    long hi = digest.getLong();
    long lo = digest.getLong();
    Segment segment = segments[(int) (lo >>> 58)];
    if (held.get() >= sweepFrom) {
      sweepsDue.compareAndSet(0, SEGMENTS);
    }
    if (takeSweep()) {
      segments[nextSweep.getAndIncrement() & (SEGMENTS - 1)].sweep(now);
    }
    if (held.get() >= capacity) {
      makeRoom(now, segment);
    }
    synchronized (segment) {
      return segment.firstUse(hi, lo, expiry, now, held.get() < capacity);
    }
  }

  /** The most ids held at once; beyond it new ids are refused. */
  public int capacity() {
    return capacity;
  }

  /** Ids currently held (expired ones until they are dropped); for metrics and tests. */
  public int size() {
    return held.get();
  }

  private boolean takeSweep() {
    for (int due = sweepsDue.get(); due > 0; due = sweepsDue.get()) {
      if (sweepsDue.compareAndSet(due, due - 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Drops expired ids, the request's own segment first, then round the others until there is room.
   * Reached only when the round of sweeps started at 90% did not make room enough: sweeping the
   * whole store in one request held an event loop for ~1 s at 8.4 million ids (a store kept ~70%
   * full of live ids did that every few minutes; BENCHMARKS.md). One segment lock at a time, so no
   * lock order to get wrong.
   */
  private void makeRoom(long now, Segment first) {
    first.sweep(now);
    for (int i = 0; i < SEGMENTS && held.get() >= capacity; i++) {
      segments[nextSweep.getAndIncrement() & (SEGMENTS - 1)].sweep(now);
    }
  }

  /**
   * One open-addressed table, linear probing, three longs per slot: the two halves of the id's hash
   * and its expiry (0: the slot is empty). Guarded by its own monitor.
   */
  private final class Segment {
    private final int maxLoadPercent;
    private long[] table = new long[INITIAL_SLOTS * 3];
    private int used;
    private long lastSweep = Long.MIN_VALUE / 2;

    Segment(int maxLoadPercent) {
      this.maxLoadPercent = maxLoadPercent;
    }

    int slots() {
      return table.length / 3;
    }

    /** True if this is the id's first use now; a live id is never replaced. */
    boolean firstUse(long hi, long lo, long expiry, long now, boolean roomForNew) throws VerificationException {
      int mask = slots() - 1;
      int reusable = -1;
      for (int i = (int) hi & mask; ; i = (i + 1) & mask) {
        long e = table[i * 3 + 2];
        if (e == 0) {
          break;
        }
        if (table[i * 3] == hi && table[i * 3 + 1] == lo) {
          if (e > now) {
            return false;
          }
          table[i * 3 + 2] = expiry;
          return true;
        }
        if (e <= now && reusable < 0) {
          reusable = i;
        }
      }
      if (reusable >= 0) {
        // An expired entry's slot: probe chains stay intact, nothing is added.
        put(reusable, hi, lo, expiry);
        return true;
      }
      if (!roomForNew) {
        throw new VerificationException(Failure.UNAVAILABLE, "replay cache is full");
      }
      if ((long) (used + 1) * 100 > (long) slots() * maxLoadPercent) {
        rebuild(now);
        return firstUse(hi, lo, expiry, now, true);
      }
      int mask2 = slots() - 1;
      int i = (int) hi & mask2;
      while (table[i * 3 + 2] != 0) {
        i = (i + 1) & mask2;
      }
      put(i, hi, lo, expiry);
      used++;
      held.incrementAndGet();
      return true;
    }

    private void put(int i, long hi, long lo, long expiry) {
      table[i * 3] = hi;
      table[i * 3 + 1] = lo;
      table[i * 3 + 2] = expiry;
    }

    /**
     * Drops the expired entries, unless it did within the last second. The table keeps its size:
     * shrunk, it would only grow back, rehashing at each doubling.
     */
    synchronized void sweep(long now) {
      if (now - lastSweep >= SWEEP_INTERVAL_MILLIS) {
        lastSweep = now;
        rebuild(now);
      }
    }

    /**
     * Drops the expired entries: in this table when the live ones fill at most half of it (most
     * sweeps and rebuilds at a steady rate), else in one doubled until they do. Tables never shrink.
     */
    void rebuild(long now) {
      long[] old = table;
      int live = 0;
      for (int i = 2; i < old.length; i += 3) {
        if (old[i] > now) {
          live++;
        }
      }
      int slots = slots();
      while (slots < live * 2) {
        slots *= 2;
      }
      if (slots == slots()) {
        purge(now);
        return;
      }
      table = new long[slots * 3];
      int mask = slots - 1;
      for (int j = 0; j < old.length; j += 3) {
        if (old[j + 2] > now) {
          int i = (int) old[j] & mask;
          while (table[i * 3 + 2] != 0) {
            i = (i + 1) & mask;
          }
          put(i, old[j], old[j + 1], old[j + 2]);
        }
      }
      held.addAndGet(live - used);
      used = live;
    }

    /**
     * Deletes the expired entries where they lie, by backward shift (Knuth's algorithm R): no new
     * table, so no multi-megabyte allocation per rebuild for the collector. Starts after an empty
     * slot, which no probe run crosses, so that every run is seen from its beginning.
     */
    private void purge(long now) {
      int slots = slots();
      int mask = slots - 1;
      int start = 0;
      while (table[start * 3 + 2] != 0) {
        start++; // the load stays under 80%: there is an empty slot
      }
      int dropped = 0;
      int i = (start + 1) & mask;
      for (int visited = 1; visited < slots; ) {
        long e = table[i * 3 + 2];
        if (e != 0 && e <= now) {
          deleteAt(i, mask);
          dropped++; // slot i now holds a later entry of its run, or nothing: look at it again
        } else {
          i = (i + 1) & mask;
          visited++;
        }
      }
      used -= dropped;
      held.addAndGet(-dropped);
    }

    /** Empties slot i, moving back each later entry of its run that may sit nearer its home slot. */
    private void deleteAt(int i, int mask) {
      for (int j = (i + 1) & mask; table[j * 3 + 2] != 0; j = (j + 1) & mask) {
        int home = (int) table[j * 3] & mask;
        boolean stays = i < j ? home > i && home <= j : home > i || home <= j;
        if (!stays) {
          put(i, table[j * 3], table[j * 3 + 1], table[j * 3 + 2]);
          i = j;
        }
      }
      put(i, 0, 0, 0);
    }
  }
}
