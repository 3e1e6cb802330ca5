package dev.signet.server.replay;

import dev.signet.store.Store;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a new replay epoch in Redis (a failover, a restart, a lost epoch key) cannot refuse by time:
 * the epoch refuses credentials issued at or before its start, but one issued within
 * {@code clock_skew} after it and used before it (future-dated when used) lost its mark with the
 * old primary. So a future-dated claim is also recorded in the store before it is answered, and a
 * credential issued within {@code clock_skew} after its epoch's start is accepted only if no such
 * record names it. Each node reads the records once when it first meets an epoch, then again in
 * the background at most once a second while credentials in that slice arrive (the seconds after
 * an epoch began), so a failover does not turn every request into a store read. Records read after
 * an epoch began serve it too: on Redis Cluster a failover begins an epoch in each of the primary's
 * slots, one after another, and one read serves all that began before it.
 */
public final class EpochWindow {
  private record Loaded(long epochMs, long atMs, Set<String> ids) {}

  private final Vertx vertx;
  private final ClaimRecords records;
  private final Clock clock;
  private final long skewMs;
  private volatile Loaded loaded = new Loaded(Long.MIN_VALUE, Long.MIN_VALUE, Set.of());
  private final AtomicBoolean refreshing = new AtomicBoolean();

  public EpochWindow(Vertx vertx, Store store, Clock clock, Duration skew) {
    this.vertx = vertx;
    this.records = new ClaimRecords(store, clock);
    this.clock = clock;
    this.skewMs = skew.toMillis();
  }

  /**
   * Whether a first use of {@code id}, issued at {@code issuedAt}, claimed in the epoch begun at
   * {@code epochMs}, is accepted; a future-dated one is recorded. Never blocks: a store write or a
   * first read of an epoch's records runs on a worker.
   */
  public Future<Boolean> admits(String id, Instant issuedAt, Instant until, long epochMs) {
    boolean ahead = records.futureDated(issuedAt);
    if (!ahead) {
      if (!inWindow(issuedAt, epochMs)) {
        return Future.succeededFuture(true);
      }
      Loaded current = loaded;
      if (covers(current, epochMs)) {
        // The records of this epoch read already; one refresh a second, in the background, for the
        // writes that were in flight when the epoch began.
        if (clock.millis() - current.atMs >= 1000 && refreshing.compareAndSet(false, true)) {
          vertx.executeBlocking(() -> load(epochMs), false).onComplete(done -> refreshing.set(false));
        }
        return Future.succeededFuture(!current.ids.contains(ClaimRecords.key(id)));
      }
    }
    return vertx.executeBlocking(() -> admits(ahead, id, issuedAt, until, epochMs), false);
  }

  /** {@link #admits} for callers on a worker thread already. */
  public boolean admitsBlocking(String id, Instant issuedAt, Instant until, long epochMs) throws VerificationException {
    return admits(records.futureDated(issuedAt), id, issuedAt, until, epochMs);
  }

  /** @param ahead whether the credential was future-dated when claimed (decided then, not when a worker gets here) */
  private boolean admits(boolean ahead, String id, Instant issuedAt, Instant until, long epochMs) throws VerificationException {
    String key = ClaimRecords.key(id);
    if (ahead) {
      return records.record(key, until);
    }
    if (!inWindow(issuedAt, epochMs)) {
      return true;
    }
    Loaded current = loaded;
    Set<String> ids = covers(current, epochMs) && clock.millis() - current.atMs < 1000 ? current.ids : fresh(epochMs).ids;
    return !ids.contains(key);
  }

  /** Records read for this epoch or a later one, or after this one began. */
  private static boolean covers(Loaded l, long epochMs) {
    return l.epochMs >= epochMs || l.atMs >= epochMs;
  }

  /** The records read again unless another worker did so while this one waited: many epochs, few reads. */
  private synchronized Loaded fresh(long epochMs) throws VerificationException {
    Loaded current = loaded;
    return covers(current, epochMs) && clock.millis() - current.atMs < 1000 ? current : load(epochMs);
  }

  /** Issued within the skew after the epoch's start: it may have been used, future-dated, before it. */
  private boolean inWindow(Instant issuedAt, long epochMs) {
    return issuedAt.toEpochMilli() <= epochMs + skewMs;
  }

  private Loaded load(long epochMs) throws VerificationException {
    long at = clock.millis();
    Loaded l = new Loaded(Math.max(epochMs, loaded.epochMs), at, Set.copyOf(records.live().keySet()));
    loaded = l;
    return l;
  }
}
