package dev.signet.server.replay;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.store.Store;
import dev.signet.store.StoreException;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The in-memory replay store, safe across restarts where its restart rule (tokens issued at or
 * before the start are refused) cannot reach: a token future-dated when used ({@code iat} ahead
 * of this server's clock, within the skew) can have its {@code iat} after the next start, and a
 * Graphene payload has no {@code iat} at all. Such claims ({@link #writes}) are also recorded in the
 * store before they are answered, and {@link #restore} puts them back in memory at the next start.
 * Ordinary tokens cost nothing more: their claim stays in memory alone.
 */
public final class DurableClaims implements ReplayStore {
  private final InMemoryReplayStore memory;
  private final Store store;
  private final Clock clock;
  private final boolean always;

  /** @param always record every claim (Graphene payloads), not only future-dated ones */
  public DurableClaims(InMemoryReplayStore memory, Store store, Clock clock, boolean always) {
    this.memory = memory;
    this.store = store;
    this.clock = clock;
    this.always = always;
  }

  /**
   * The name a claim is recorded (and, here, held in memory) under: the id itself, or for an id
   * over 255 characters (a long {@code jti} or nonce) its SHA-256, so every record fits the store's key.
   */
  public static String key(String id) {
    if (id.length() <= 255) {
      return id;
    }
    try {
      return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether claiming a credential issued at {@code issuedAt} writes to the store (then: off the event loop). */
  public boolean writes(Instant issuedAt) {
    return always || issuedAt.getEpochSecond() > clock.instant().getEpochSecond();
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(id, clock.instant(), until);
  }

  @Override
  public boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    String key = key(id);
    if (!memory.firstUse(key, issuedAt, until)) {
      return false;
    }
    if (!writes(issuedAt)) {
      return true;
    }
    try {
      return store.recordClaim(key, until.toEpochMilli());
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "store unavailable");
    }
  }

  /** At start, before any request: the recorded claims still kept go back into memory. Returns how many. */
  public static int restore(InMemoryReplayStore memory, Store store, Clock clock) throws VerificationException {
    long now = clock.millis();
    store.purgeClaims(now);
    Map<String, Long> live = store.liveClaims(now);
    for (Map.Entry<String, Long> e : live.entrySet()) {
      memory.firstUse(e.getKey(), Instant.ofEpochMilli(e.getValue()));
    }
    return live.size();
  }
}
