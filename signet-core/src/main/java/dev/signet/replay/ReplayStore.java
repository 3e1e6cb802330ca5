package dev.signet.replay;

import dev.signet.verify.VerificationException;
import java.time.Instant;

/**
 * Remembers single-use ids. {@link #firstUse} is atomic: when the same id races on many threads
 * (or nodes), exactly one call returns true.
 */
public interface ReplayStore {
  /**
   * Marks {@code id} as used until {@code until}.
   *
   * @return true if this call is the first use of {@code id} still remembered; false for a replay
   * @throws VerificationException with {@code UNAVAILABLE} when the store cannot answer or is full:
   *     the caller must refuse the credential (fail closed)
   */
  boolean firstUse(String id, Instant until) throws VerificationException;

  /**
   * As {@link #firstUse(String, Instant)}, for a credential issued at {@code issuedAt}. A store that
   * can lose marks it acknowledged (a replicated Redis failing over) refuses, {@code STALE},
   * credentials issued before it last could have lost them; others ignore {@code issuedAt}.
   */
  default boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    return firstUse(id, until);
  }
}
