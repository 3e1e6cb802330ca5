package dev.signet.server.replay;

import dev.signet.replay.RedisKeys;
import dev.signet.server.redis.RedisConnection;
import dev.signet.server.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay epochs of every slot ({@code RedisReplayScript.CURRENT} on each epoch key): begun at
 * a node's start, so that its first claims are not the ones refused; and, on Redis Cluster, spread
 * after a failover: when a claim begins the epoch of one of a promoted replica's slots, every
 * other slot that replica took over begins its epoch at the same moment (the script's hint), not
 * each at its own first claim, which would refuse the first token of each of thousands of slots.
 */
final class SlotEpochs {
  private static final Logger LOG = LoggerFactory.getLogger(SlotEpochs.class);
  /** Epoch keys asked at once: a few hundred, not 16,384. */
  private static final int AT_ONCE = 512;
  /** A spread asks every slot (~0.1 s of Redis CPU over the cluster): at most one per this many ms. */
  private static final long SPREAD_EVERY_MS = 5000;
  /** After a spread some of whose slots did not answer (this node did not follow the new slot map yet). */
  private static final long RETRY_MS = 500;

  private final RedisConnection redis;
  private final RedisScript current;
  private final List<String> epochKeys;
  private final Clock clock;
  private final AtomicBoolean spreading = new AtomicBoolean();
  private volatile long spreadUpTo;
  private volatile long spreadAt = Long.MIN_VALUE / 2;

  SlotEpochs(RedisConnection redis, RedisScript current, RedisKeys keys, Clock clock) {
    this.redis = redis;
    this.current = current;
    this.epochKeys = keys.epochs();
    this.clock = clock;
  }

  /** Every slot's answer ({@code {1, start ms, began, id}}), in slot order; fails at the first few hundred not all answered. */
  Future<List<Response>> everySlot() {
    return from(0, null, null, new ArrayList<>(epochKeys.size()), true);
  }

  /**
   * A claim began the epoch under {@code epochKey} at {@code epochMs}: on a cluster, begin the epoch
   * of every slot the same primary took over from the same former primary then too. In the
   * background; one spread at a time and one each 5 s at most (a reshard begins epochs slot by
   * slot on the primaries that import them: those slots each begin theirs at their first claim).
   */
  void began(String epochKey, long epochMs) {
    if (epochKeys.size() == 1 || epochMs <= spreadUpTo || clock.millis() - spreadAt < SPREAD_EVERY_MS
        || !spreading.compareAndSet(false, true)) {
      return;
    }
    spreadAt = clock.millis();
    // The primary that began it names itself: its replication id is what the other slots' scripts compare with.
    redis.callAsync(current.call(1).arg(epochKey).arg(0).arg(0).arg(clock.millis()))
        .compose(r -> from(0, r.get(1).toString(), r.get(3).toString(), new ArrayList<>(epochKeys.size()), false))
        .onComplete(done -> {
          boolean whole = done.succeeded() && done.result().stream().allMatch(java.util.Objects::nonNull);
          if (whole) {
            spreadUpTo = Math.max(spreadUpTo, epochMs);
          } else {
            spreadAt = clock.millis() - SPREAD_EVERY_MS + RETRY_MS; // again at the next epoch begun, half a second on
          }
          spreading.set(false);
          if (done.succeeded()) {
            long spread = done.result().stream().filter(r -> r != null && r.get(2).toInteger() == 1).count();
            LOG.info("replay epoch spread: {} more slots began theirs (at {} where the primary that began it took them over "
                + "in the same failover, else now)", spread, java.time.Instant.ofEpochMilli(epochMs));
          } else {
            LOG.warn("spreading a new replay epoch over the cluster's slots failed ({}); each slot begins its own at its next claim",
                done.cause().getMessage());
          }
        });
  }

  /** @param whole fail as soon as a call fails; else go on (null for a slot that did not answer) */
  private Future<List<Response>> from(int start, String hintMs, String hintId, List<Response> answers, boolean whole) {
    if (start >= epochKeys.size()) {
      return Future.succeededFuture(answers);
    }
    long now = clock.millis();
    List<Future<Response>> calls = new ArrayList<>(AT_ONCE);
    for (String key : epochKeys.subList(start, Math.min(epochKeys.size(), start + AT_ONCE))) {
      RedisScript.Call call = current.call(1).arg(key).arg(0).arg(0).arg(now);
      if (hintMs != null) {
        call.arg(hintMs).arg(hintId);
      }
      calls.add(redis.callAsync(call));
    }
    // Every call completes, answered or not (null): one slot down does not stop the others.
    return Future.join(calls).transform(all -> {
      if (whole && all.failed()) {
        return Future.failedFuture(all.cause());
      }
      calls.forEach(c -> answers.add(c.succeeded() ? c.result() : null));
      return from(start + AT_ONCE, hintMs, hintId, answers, whole);
    });
  }
}
