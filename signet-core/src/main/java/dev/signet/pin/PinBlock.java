package dev.signet.pin;

/**
 * A decrypted PIN block.
 *
 * @param pin the PIN bytes: 6 ASCII digits (seed 003) or the bytes of a hex-decoded TIP PIN
 * @param time the unix seconds the client encrypted it at
 * @param iterator the client's counter, unsigned 64-bit; compare with {@link Long#compareUnsigned}
 */
public record PinBlock(byte[] pin, long time, long iterator) {
  public PinBlock {
    pin = pin.clone();
  }

  @Override
  public byte[] pin() {
    return pin.clone();
  }

  @Override
  public String toString() {
    return "PinBlock[time=" + time + ", iterator=" + Long.toUnsignedString(iterator) + "]";
  }
}
