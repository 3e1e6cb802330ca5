package dev.signet.store;

/** The store cannot answer; callers fail closed (503), never accept. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
