package dev.signet.scheme.graphene;

import java.util.Map;

/**
 * An account's posting authority as the chain reports it: public keys (in their Graphene text form)
 * with weights, and the threshold a signature set must reach.
 */
public record PostingAuthority(long weightThreshold, Map<String, Long> keyAuths) {
  public PostingAuthority {
    keyAuths = Map.copyOf(keyAuths);
  }

  /** Whether a single signature by {@code publicKey} carries enough weight on its own. */
  public boolean satisfiedBy(String publicKey) {
    Long weight = keyAuths.get(publicKey);
    return weight != null && weightThreshold > 0 && weight >= weightThreshold;
  }
}
