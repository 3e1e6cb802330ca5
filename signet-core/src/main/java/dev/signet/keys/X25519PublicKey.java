package dev.signet.keys;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import java.util.Arrays;

/** A Curve25519 public key (u coordinate, 32 bytes little-endian), e.g. a Mixin PIN token. */
public final class X25519PublicKey {
  private final byte[] encoded;

  private X25519PublicKey(byte[] encoded) {
    this.encoded = encoded;
  }

  public static X25519PublicKey fromBytes(byte[] raw) {
    if (raw.length != 32) {
      throw new KeyException(KeyException.Reason.LENGTH, "X25519 public key must be 32 bytes, got " + raw.length);
    }
    return new X25519PublicKey(raw.clone());
  }

  /** From base64url or base64 (padded or not) or hex. */
  public static X25519PublicKey parse(String text) {
    return fromBytes(KeyText.decodeBytes(text, 32, "X25519 public key"));
  }

  public byte[] toBytes() {
    return encoded.clone();
  }

  public String toBase64Url() {
    return Base64Url.encode(encoded);
  }

  public String toHex() {
    return Hex.encode(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof X25519PublicKey k && Arrays.equals(encoded, k.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.X25519;
  }

  @Override
  public String toString() {
    return "X25519PublicKey[" + toBase64Url() + "]";
  }
}
