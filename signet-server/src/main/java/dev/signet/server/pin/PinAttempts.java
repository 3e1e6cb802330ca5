package dev.signet.server.pin;

import dev.signet.verify.VerificationException;

/**
 * Wrong PINs in a row per user and the lock they lead to: in the store on one node, in Redis when
 * nodes share it. Implementations count atomically, so that racing wrong PINs all count.
 */
public interface PinAttempts {
  /** Wrong PINs in a row, and the unix second the user is locked until (0 or past: not locked). */
  record State(int failures, long lockedUntil) {}

  public State state(String userId) throws VerificationException;

  /** One more wrong PIN; the one that reaches the limit locks the user for the configured time. */
  public void recordFailure(String userId) throws VerificationException;

  /** A right PIN, or a new PIN set by the admin: the count and any lock are cleared. */
  public void reset(String userId) throws VerificationException;
}
