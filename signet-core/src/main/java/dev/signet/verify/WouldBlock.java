package dev.signet.verify;

/**
 * Thrown by a {@link KeyResolver} that must not wait (one used on an event loop) when answering
 * would need a store or network round trip: the caller asks again where it may block.
 */
public class WouldBlock extends RuntimeException {
  public WouldBlock(String message) {
    super(message, null, false, false);
  }
}
