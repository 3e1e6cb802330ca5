package dev.signet.servlet;

/** Thrown by {@link ServletVerifier#verify} for a request that must not reach the application. */
public final class RefusedException extends Exception {
  private final Refusal refusal;

  public RefusedException(Refusal refusal) {
    super(refusal.description(), null, false, false);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }
}
