package dev.signet.limits;

import java.util.Objects;

/** One request counted against one policy for one key's value (a user id, an address, ...). */
public record Charge(RateLimitPolicy policy, String key) {
  public Charge {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(key, "key");
  }

  /** The state's name: the policy's name (which has no ':') and the key's value. */
  public String id() {
    return policy.name() + ':' + key;
  }
}
