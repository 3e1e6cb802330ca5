package dev.signet.server.replay;

import dev.signet.store.Store;
import dev.signet.store.StoreException;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What a new replay epoch in Redis (a failover, a restart, a lost epoch key) cannot refuse by time:
 * the epoch refuses credentials issued at or before its start, but one issued within
 * {@code clock_skew} after it and used before it (future-dated when used) lost its mark with the
 * old primary. So a future-dated claim is also recorded in the store before it is answered, and a
 * credential issued within {@code clock_skew} after its epoch's start is accepted only if no such
 * record names it. Each node reads the records once when it first meets an epoch, then again in
 * the background at most once a second while credentials in that slice arrive (the seconds after
 * an epoch began), so a failover does not turn every request into a store read.
 */
public final class EpochWindow {
  private record Loaded(long epochMs, long atMs, Set<String> ids) {}

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final long skewMs;
  private volatile Loaded loaded = new Loaded(Long.MIN_VALUE, Long.MIN_VALUE, Set.of());
  private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

  public EpochWindow(Vertx vertx, Store store, Clock clock, Duration skew) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.skewMs = skew.toMillis();
  }

  private boolean futureDated(Instant issuedAt) {
    return issuedAt.getEpochSecond() > clock.instant().getEpochSecond();
  }

  /**
   * Whether a first use of {@code id}, issued at {@code issuedAt}, claimed in the epoch begun at
   * {@code epochMs}, is accepted; a future-dated one is recorded. Never blocks: a store write or a
   * reload of the records runs on a worker.
   */
  public Future<Boolean> admits(String id, Instant issuedAt, Instant until, long epochMs) {
    if (futureDated(issuedAt)) {
      return vertx.executeBlocking(() -> record(id, until), false);
    }
    if (issuedAt.toEpochMilli() > epochMs + skewMs) {
      return Future.succeededFuture(true);
    }
    Loaded current = loaded;
    if (current.epochMs == epochMs) {
      // The records of this epoch read already; one refresh a second, in the background, for the
      // writes that were in flight when the epoch began.
      if (clock.millis() - current.atMs >= 1000 && refreshing.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> load(epochMs), false).onComplete(done -> refreshing.set(false));
      }
      return Future.succeededFuture(!current.ids.contains(DurableClaims.key(id)));
    }
    return vertx.executeBlocking(() -> !load(epochMs).ids.contains(DurableClaims.key(id)), false);
  }

  /** {@link #admits} for callers on a worker thread already. */
  public boolean admitsBlocking(String id, Instant issuedAt, Instant until, long epochMs) throws VerificationException {
    if (futureDated(issuedAt)) {
      return record(id, until);
    }
    if (issuedAt.toEpochMilli() > epochMs + skewMs) {
      return true;
    }
    Loaded current = loaded;
    Set<String> ids = current.epochMs == epochMs && clock.millis() - current.atMs < 1000 ? current.ids : load(epochMs).ids;
    return !ids.contains(DurableClaims.key(id));
  }

  private boolean record(String id, Instant until) throws VerificationException {
    try {
      return store.recordClaim(DurableClaims.key(id), until.toEpochMilli());
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "store unavailable");
    }
  }

  private Loaded load(long epochMs) throws VerificationException {
    try {
      long now = clock.millis();
      Loaded l = new Loaded(epochMs, now, Set.copyOf(store.liveClaims(now).keySet()));
      loaded = l;
      return l;
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "store unavailable");
    }
  }
}
