package dev.signet.testing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Textbook edwards25519 arithmetic over {@link BigInteger}, slow and independent of every provider
 * under test: it builds the edge-case signatures (non-canonical encodings, small-order and
 * mixed-order points) that a correct signer never produces.
 */
public final class Edwards25519 {
  public static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  public record Point(BigInteger x, BigInteger y) {
    public Point add(Point o) {
      BigInteger t = D.multiply(x).multiply(o.x).multiply(y).multiply(o.y).mod(P);
      BigInteger x3 = x.multiply(o.y).add(o.x.multiply(y)).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
      BigInteger y3 = y.multiply(o.y).add(x.multiply(o.x)).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
      return new Point(x3, y3);
    }

    public Point times(BigInteger k) {
      Point r = IDENTITY;
      Point a = this;
      for (int i = 0; i < k.bitLength(); i++) {
        if (k.testBit(i)) {
          r = r.add(a);
        }
        a = a.add(a);
      }
      return r;
    }

    public byte[] encode() {
      byte[] out = littleEndian(y);
      if (x.testBit(0)) {
        out[31] |= (byte) 0x80;
      }
      return out;
    }
  }

  public static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);
  public static final Point BASE = decode(hex("5866666666666666666666666666666666666666666666666666666666666666"));
  /** The point of order 2. */
  public static final Point ORDER_2 = new Point(BigInteger.ZERO, P.subtract(BigInteger.ONE));
  /** A point of order 8 (a generator of the torsion subgroup). */
  public static final Point ORDER_8 = decode(hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));

  private Edwards25519() {}

  /** RFC 8032 decoding, but accepting a non-canonical y (y >= p), as an attacker's encoder would. */
  public static Point decode(byte[] enc) {
    byte[] b = enc.clone();
    boolean sign = (b[31] & 0x80) != 0;
    b[31] &= 0x7f;
    BigInteger y = fromLittleEndian(b).mod(P);
    BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(x2)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (!x.multiply(x).mod(P).equals(x2)) {
      throw new IllegalArgumentException("not on the curve");
    }
    if (x.testBit(0) != sign) {
      x = P.subtract(x).mod(P);
    }
    return new Point(x, y);
  }

  /** A signature (R || S) from explicit parts, for the edge cases. */
  public static byte[] signature(byte[] r, BigInteger s) {
    byte[] sig = Arrays.copyOf(r, 64);
    System.arraycopy(littleEndian(s), 0, sig, 32, 32);
    return sig;
  }

  /** The secret scalar a of an RFC 8032 seed. */
  public static BigInteger secretScalar(byte[] seed) {
    byte[] h = sha512(seed);
    byte[] a = Arrays.copyOf(h, 32);
    a[0] &= (byte) 248;
    a[31] &= 127;
    a[31] |= 64;
    return fromLittleEndian(a);
  }

  /** k = SHA-512(R || A || M) mod L. */
  public static BigInteger challenge(byte[] r, byte[] a, byte[] m) {
    byte[] in = new byte[64 + m.length];
    System.arraycopy(r, 0, in, 0, 32);
    System.arraycopy(a, 0, in, 32, 32);
    System.arraycopy(m, 0, in, 64, m.length);
    return fromLittleEndian(sha512(in)).mod(L);
  }

  public static byte[] littleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  public static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] sha512(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(in);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hex(String h) {
    return java.util.HexFormat.of().parseHex(h);
  }
}
