package dev.signet.server.replay;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.store.Store;
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
  private final ClaimRecords records;
  private final Clock clock;
  private final boolean always;

  /** @param always record every claim (Graphene payloads), not only future-dated ones */
  public DurableClaims(InMemoryReplayStore memory, Store store, Clock clock, boolean always) {
    this.memory = memory;
    this.records = new ClaimRecords(store, clock);
    this.clock = clock;
    this.always = always;
  }

  /** Whether claiming a credential issued at {@code issuedAt} writes to the store (then: off the event loop). */
  public boolean writes(Instant issuedAt) {
    return always || records.futureDated(issuedAt);
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(id, clock.instant(), until);
  }

  @Override
  public boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    String key = ClaimRecords.key(id);
    return memory.firstUse(key, issuedAt, until) && (!writes(issuedAt) || records.record(key, until));
  }

  /** At start, before any request: the recorded claims still kept go back into memory. Returns how many. */
  public static int restore(InMemoryReplayStore memory, Store store, Clock clock) throws VerificationException {
    ClaimRecords records = new ClaimRecords(store, clock);
    records.purge();
    Map<String, Long> live = records.live();
    for (Map.Entry<String, Long> e : live.entrySet()) {
      memory.firstUse(e.getKey(), Instant.ofEpochMilli(e.getValue()));
    }
    return live.size();
  }
}
