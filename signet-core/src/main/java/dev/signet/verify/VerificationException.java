package dev.signet.verify;

/**
 * A refused credential: {@link #failure()} names the check, the message explains it without
 * secrets. No stack trace is captured: refusals are ordinary results on a hot path, and a trace of
 * the verifier's internals has nothing to tell a caller.
 */
public final class VerificationException extends Exception {
  private final Failure failure;
  private final Scheme scheme;

  public VerificationException(Failure failure, String detail) {
    this(failure, failure.code() + ": " + detail, null);
  }

  private VerificationException(Failure failure, String message, Scheme scheme) {
    super(message, null, false, false);
    this.failure = failure;
    this.scheme = scheme;
  }

  public Failure failure() {
    return failure;
  }

  /** The scheme of the refused credential, or null when it was refused before its kind was known. */
  public Scheme scheme() {
    return scheme;
  }

  /** This refusal as one of a {@code scheme} credential (for metrics by scheme); unchanged if it names one. */
  public VerificationException in(Scheme s) {
    return scheme != null || s == null ? this : new VerificationException(failure, getMessage(), s);
  }
}
