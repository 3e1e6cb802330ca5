package dev.signet.verify;

/**
 * Verifies one scheme's credentials strictly: every check passes, or a {@link VerificationException}
 * names the first that failed. A refusal changes no state; only a full success consumes the
 * credential's single-use id.
 */
public interface Verifier {
  Scheme scheme();

  Principal verify(AuthRequest request) throws VerificationException;
}
