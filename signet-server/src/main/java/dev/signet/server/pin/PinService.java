package dev.signet.server.pin;

import dev.signet.codec.Hex;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.KeyException;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.pin.PinBlock;
import dev.signet.pin.PinCipher;
import dev.signet.pin.PinException;
import dev.signet.pin.PinHash;
import dev.signet.server.http.ApiError;
import dev.signet.store.Records;
import dev.signet.store.Store;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import java.time.Clock;

/**
 * Checks an encrypted PIN for a verified bot session, in this order: the user is not locked; the
 * block decrypts under the session's PIN key; its time is inside the acceptance window; its
 * iterator is above the last accepted one (advanced atomically, so a block works once); the PIN
 * matches the stored Argon2id hash. Wrong PINs count towards a lock; a right one clears the count.
 */
public final class PinService {
  private final Store store;
  private final Clock clock;
  private final long windowSeconds;
  private final PinAttempts attempts;

  public PinService(Store store, Clock clock, long windowSeconds, PinAttempts attempts) {
    this.store = store;
    this.clock = clock;
    this.windowSeconds = windowSeconds;
    this.attempts = attempts;
  }

  public void verify(Principal principal, String encrypted) throws VerificationException {
    if (principal.scheme() != Scheme.MIXIN_BOT) {
      throw new ApiError(403, "pin_scheme: PINs are verified for bot sessions only");
    }
    String userId = principal.userId();
    long now = clock.instant().getEpochSecond();
    Records.PinState state = store.pinState(userId).orElseThrow(() -> new ApiError(403, "pin_not_set: this user has no PIN"));
    PinAttempts.State tries = attempts.state(userId);
    if (tries.lockedUntil() > now) {
      throw new ApiError(429, "pin_locked: too many wrong PINs; locked for " + (tries.lockedUntil() - now) + " s");
    }
    PinBlock block = decrypt(principal.sessionId(), encrypted);
    if (Math.abs(now - block.time()) > windowSeconds) {
      throw new ApiError(403, "pin_stale: the PIN block's time is outside the " + windowSeconds + " s window");
    }
    if (!store.advancePinIterator(userId, block.iterator())) {
      throw new ApiError(403, "pin_iterator: the iterator must be greater than the last one used");
    }
    if (!PinHash.matches(block.pin(), state.hash())) {
      attempts.recordFailure(userId);
      throw new ApiError(403, "pin_wrong: the PIN is not correct");
    }
    if (tries.failures() > 0) {
      attempts.reset(userId);
    }
  }

  private PinBlock decrypt(String sessionId, String encrypted) {
    Records.Session session = store.session(sessionId).orElseThrow(() -> new ApiError(401, "unknown_key: session revoked"));
    Ed25519PublicKey sessionKey;
    try {
      sessionKey = Ed25519PublicKey.parse(session.publicKey());
    } catch (KeyException e) {
      throw new ApiError(400, "pin_scheme: PINs need an Ed25519 session");
    }
    try {
      return PinCipher.decrypt(encrypted, X25519PrivateKey.fromBytes(Hex.decode(session.pinKey())), sessionKey);
    } catch (PinException e) {
      throw new ApiError(400, e.getMessage());
    }
  }
}
