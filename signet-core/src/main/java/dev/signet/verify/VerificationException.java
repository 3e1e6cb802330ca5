package dev.signet.verify;

/**
 * A refused credential: {@link #failure()} names the check, the message explains it without
 * secrets. No stack trace is captured: refusals are ordinary results on a hot path, and a trace of
 * the verifier's internals has nothing to tell a caller.
 */
public final class VerificationException extends Exception {
  private final Failure failure;

  public VerificationException(Failure failure, String detail) {
    super(failure.code() + ": " + detail, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
