package dev.signet.verify;

import dev.signet.replay.ReplayStore;
import java.time.Instant;
import java.util.Objects;

/**
 * A token that passed every check except single use: its principal is not to be trusted until
 * its replay id has been claimed, once, by {@link #consume} or by a host that asks its replay store
 * asynchronously and then calls {@link #afterClaim}. {@code replayId} is null for credentials that
 * are not single-use (then nothing has to be claimed); {@code issuedAt} is when the credential was
 * made, by its own account, for stores that refuse what was issued before they lost marks.
 */
public record CheckedToken(Principal principal, String replayId, Instant issuedAt, Instant replayUntil) {
  public CheckedToken {
    Objects.requireNonNull(principal);
    if (replayId != null) {
      Objects.requireNonNull(issuedAt);
      Objects.requireNonNull(replayUntil);
    }
  }

  /** A credential that is not single use. */
  public static CheckedToken reusable(Principal principal) {
    return new CheckedToken(principal, null, null, null);
  }

  /** Claims the replay id in {@code store} and returns the principal; {@code REPLAYED} if it was used. */
  public Principal consume(ReplayStore store) throws VerificationException {
    return replayId == null ? principal : afterClaim(store.firstUse(replayId, issuedAt, replayUntil));
  }

  /** The principal if this was the first use of the replay id, else {@code REPLAYED}. */
  public Principal afterClaim(boolean firstUse) throws VerificationException {
    if (!firstUse) {
      throw new VerificationException(Failure.REPLAYED, "token was already used").in(principal.scheme());
    }
    return principal;
  }
}
