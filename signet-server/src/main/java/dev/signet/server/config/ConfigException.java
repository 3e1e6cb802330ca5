package dev.signet.server.config;

/** A configuration the server refuses to start with; the message names the setting. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
