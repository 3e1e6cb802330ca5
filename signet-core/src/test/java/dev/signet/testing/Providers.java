package dev.signet.testing;

import dev.signet.keys.Ed25519Provider;
import java.util.List;

/**
 * Both Ed25519 providers, for tests that must hold on each. libsodium is bundled for this platform
 * family, so failing to load it here is a failure, not a skip.
 */
public final class Providers {
  private Providers() {}

  public static Ed25519Provider sodium() {
    return Ed25519Provider.select(Ed25519Provider.Choice.NATIVE).provider();
  }

  public static List<Ed25519Provider> ed25519() {
    return List.of(sodium(), Ed25519Provider.java());
  }
}
