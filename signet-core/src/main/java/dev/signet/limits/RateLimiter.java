package dev.signet.limits;

import dev.signet.verify.VerificationException;
import java.util.List;

/** Where rate-limit state lives: this process's memory, or a store every instance shares. */
public interface RateLimiter {
  /**
   * Decides {@code charges} in order, recording each that conforms, and stops at the first that
   * does not: the answer has one decision per charge up to and including that refusal.
   *
   * @throws VerificationException {@code UNAVAILABLE} when the state cannot be reached
   */
  RateLimitOutcome acquire(List<Charge> charges) throws VerificationException;
}
