package dev.signet.server.crypto;

import dev.signet.keys.Ed25519Provider;
import dev.signet.server.config.ConfigException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code crypto.ed25519}: libsodium where it loads ({@code auto}), with one warning where it does
 * not; {@code native} that cannot load stops the start. The choice is published as
 * {@code signet_crypto_provider{ed25519}}.
 */
public final class Ed25519Choice {
  private static final Logger LOG = LoggerFactory.getLogger(Ed25519Choice.class);

  private Ed25519Choice() {}

  public static Ed25519Provider select(Ed25519Provider.Choice choice, MeterRegistry metrics) {
    Ed25519Provider.Selection selected;
    try {
      selected = Ed25519Provider.select(choice);
    } catch (Ed25519Provider.UnavailableException e) {
      throw new ConfigException("crypto.ed25519 is native, but " + e.getMessage());
    }
    if (selected.fellBack()) {
      LOG.warn("Ed25519 with BouncyCastle (Java): {} (set crypto.ed25519: java to choose it and silence this)",
          selected.fallbackReason());
    }
    Gauge.builder("signet.crypto.provider", () -> 1).tag("ed25519", selected.provider().id())
        .description("the Ed25519 provider in use (always 1; the tag names it)").register(metrics);
    return selected.provider();
  }
}
