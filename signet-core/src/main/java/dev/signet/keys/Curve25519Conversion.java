package dev.signet.keys;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Ed25519 to X25519 key conversion (RFC 7748 section 4.1 birational map), as libsodium does it. */
final class Curve25519Conversion {
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private Curve25519Conversion() {}

  /** X25519 scalar from an Ed25519 seed: clamped first half of SHA-512(seed). */
  static byte[] seedToScalar(byte[] seed) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
      byte[] k = Arrays.copyOf(h, 32);
      Arrays.fill(h, (byte) 0);
      k[0] &= (byte) 248;
      k[31] &= 127;
      k[31] |= 64;
      return k;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by the Java platform", e);
    }
  }

  /** u = (1 + y) / (1 - y) mod p, for an already validated Edwards point encoding. */
  static byte[] edwardsToMontgomery(byte[] edwards) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = edwards[31 - i];
    }
    be[0] &= 0x7f;
    BigInteger y = new BigInteger(1, be);
    BigInteger oneMinusY = BigInteger.ONE.subtract(y).mod(P);
    if (oneMinusY.signum() == 0) {
      throw new KeyException(KeyException.Reason.INVALID, "Ed25519 identity point has no X25519 form");
    }
    BigInteger u = BigInteger.ONE.add(y).multiply(oneMinusY.modInverse(P)).mod(P);
    byte[] uBe = u.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < uBe.length; i++) {
      out[i] = uBe[uBe.length - 1 - i];
    }
    return out;
  }
}
