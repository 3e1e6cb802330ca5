package dev.signet.server.admin;

import dev.signet.store.Store;
import dev.signet.store.StoreException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each session last signed an accepted request. The request path only puts the time in a map;
 * {@link #flush} (once a minute, on a worker, and at shutdown) writes what changed, so the store sees
 * at most one write per session per minute however busy the session is.
 */
public final class SessionUse {
  private static final Logger LOG = LoggerFactory.getLogger(SessionUse.class);
  /** Sessions held between flushes at most; past it new sessions wait for the next flush's room. */
  static final int MAX_PENDING = 100_000;

  private final Store store;
  private final Clock clock;
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

  public SessionUse(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Flushes once a minute on a worker of {@code vertx}; returns this. */
  public SessionUse flushingEvery60s(io.vertx.core.Vertx vertx) {
    vertx.setPeriodic(60_000, t -> vertx.executeBlocking(() -> {
      flush();
      return null;
    }, false));
    return this;
  }

  /**
   * Called on the request path: no I/O, and a write to the map at most once a second per session
   * (a busy session's requests on several event loops only read it).
   */
  public void used(String sessionId) {
    long now = clock.millis() / 1000;
    Long seen = pending.get(sessionId);
    if (seen == null ? pending.size() < MAX_PENDING : seen < now) {
      pending.put(sessionId, now);
    }
  }

  /** This node's uses not yet written, for answers that should not lag by a minute. */
  public Map<String, Long> pending() {
    return Map.copyOf(pending);
  }

  /** Writes the uses seen since the last flush; on a store failure they are kept for the next one. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Long> batch = new HashMap<>(pending);
    try {
      store.recordSessionUse(batch);
      // Remove only what was written: a use recorded meanwhile (a later time) stays for the next flush.
      batch.forEach(pending::remove);
    } catch (StoreException e) {
      LOG.warn("recording session use failed ({} sessions kept for the next try): {}", batch.size(), e.getMessage());
    }
  }
}
