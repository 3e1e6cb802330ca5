package dev.signet.keys;

/**
 * A key that cannot be used: wrong format, length, checksum, curve or strength. The message names
 * what is wrong and never contains key material.
 */
public final class KeyException extends IllegalArgumentException {
  /** What is wrong with the key, as a stable code for callers and tests. */
  public enum Reason {
    ENCODING("bad_encoding"),
    LENGTH("bad_length"),
    CHECKSUM("bad_checksum"),
    WRONG_TYPE("wrong_key_type"),
    WEAK("weak_key"),
    INVALID("invalid_key"),
    MISMATCH("mismatched_key");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public KeyException(Reason reason, String message) {
    super(reason.code() + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
