package dev.signet.server.pin;

import dev.signet.server.config.ServerConfig;
import dev.signet.store.Store;
import java.time.Clock;

/** PIN failure counts in the store's {@code pins} row (one atomic UPDATE per wrong PIN). */
public final class StorePinAttempts implements PinAttempts {
  private final Store store;
  private final Clock clock;
  private final ServerConfig.Pin policy;

  public StorePinAttempts(Store store, Clock clock, ServerConfig.Pin policy) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
  }

  @Override
  public State state(String userId) {
    return store.pinState(userId).map(p -> new State(p.failures(), p.lockedUntil())).orElse(new State(0, 0));
  }

  @Override
  public void recordFailure(String userId) {
    store.recordPinFailure(userId, policy.maxFailures(), clock.instant().getEpochSecond() + policy.lockSeconds());
  }

  @Override
  public void reset(String userId) {
    store.resetPinFailures(userId);
  }
}
