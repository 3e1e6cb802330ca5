package dev.signet.pin;

/** A PIN refused; the message never holds the PIN. */
public final class PinException extends Exception {
  /** Why the PIN was refused, as a stable code. */
  public enum Reason {
    MALFORMED("pin_malformed"),
    STALE("pin_stale"),
    ITERATOR("pin_iterator"),
    WRONG("pin_wrong"),
    LOCKED("pin_locked"),
    NOT_SET("pin_not_set");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public PinException(Reason reason, String detail) {
    super(reason.code() + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
