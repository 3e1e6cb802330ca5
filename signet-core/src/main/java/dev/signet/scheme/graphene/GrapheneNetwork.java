package dev.signet.scheme.graphene;

import java.time.Duration;

/**
 * A chain logins may come from.
 *
 * @param name the payload's network part, e.g. {@code hive}
 * @param keyPrefix how the chain writes public keys, e.g. {@code STM} (or {@code TST} on testnets)
 * @param authTimeoutBlocks how many blocks behind the head a login's block may be
 * @param blockInterval the chain's block time (3 s on Hive), to know how long to remember payloads
 */
public record GrapheneNetwork(String name, String keyPrefix, int authTimeoutBlocks, Duration blockInterval) {
  public GrapheneNetwork {
    if (authTimeoutBlocks < 1) {
      throw new IllegalArgumentException("authTimeoutBlocks must be positive");
    }
  }

  public static GrapheneNetwork hive() {
    return new GrapheneNetwork("hive", "STM", 20, Duration.ofSeconds(3));
  }
}
