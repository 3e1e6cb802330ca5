package dev.signet.server.replay;

import dev.signet.store.Store;
import dev.signet.store.StoreException;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Claims that a replay store losing its marks would let through again, recorded in the
 * deployment's store ({@code durable_claims}): what {@link DurableClaims} (memory, across restarts)
 * and {@link EpochWindow} (Redis, across epochs) both write and read. A store that cannot answer is
 * {@code UNAVAILABLE}: the claim is refused, never accepted unrecorded.
 */
final class ClaimRecords {
  private final Store store;
  private final Clock clock;

  ClaimRecords(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The name a claim is recorded (and held in memory) under: the id itself, or for an id over 255
   * characters (a long {@code jti} or nonce) its SHA-256, so every record fits the store's key.
   */
  static String key(String id) {
    if (id.length() <= 255) {
      return id;
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Whether a credential issued at {@code issuedAt} is ahead of this server's clock (by its
   * second): used now, its {@code iat} can be after a restart or a new epoch that is yet to come.
   */
  boolean futureDated(Instant issuedAt) {
    return issuedAt.getEpochSecond() > clock.instant().getEpochSecond();
  }

  /** Records {@code key} until {@code until}; false if it was recorded already (a replay). */
  boolean record(String key, Instant until) throws VerificationException {
    try {
      return store.recordClaim(key, until.toEpochMilli());
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "store unavailable");
    }
  }

  /** The keys recorded and still kept now, with when each may be forgotten (unix ms). */
  Map<String, Long> live() throws VerificationException {
    try {
      return store.liveClaims(clock.millis());
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "store unavailable");
    }
  }

  /** Forgets the records no longer kept now. */
  int purge() {
    return store.purgeClaims(clock.millis());
  }
}
