package dev.signet.keys;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, verified with its {@link Ed25519Provider} ({@link Ed25519Provider#preferred()}
 * unless {@link #using} says otherwise). The point is decoded and fully validated once, here, so
 * that every later verification skips the decompression.
 *
 * <p>The acceptance rule, the same on every provider:
 * <ul>
 *   <li>A (this key): canonical encoding (y &lt; p), not of small order, in the prime-order
 *       subgroup (no torsion component); checked here, once, for both providers.
 *   <li>S: canonical, S &lt; L.
 *   <li>R: canonical encoding (y &lt; p, no "negative zero" x), not one of the small-order points.
 *   <li>The equation: libsodium checks [S]B = R + [k]A (cofactorless), BouncyCastle
 *       [8][S]B = [8]R + [8][k]A (cofactored). They differ only on an R with a torsion component,
 *       which only the holder of the secret key can make (S must equal r + k·a); such a signature
 *       gives no one a forgery, so BouncyCastle is not made to pay a full subgroup check (it would
 *       double its cost) to refuse it. {@code Ed25519StrictnessTest} pins every case on both.
 * </ul>
 */
public final class Ed25519PublicKey implements PublicKeyVerify {
  private static final byte[] X509_PREFIX = Hex.decode("302a300506032b6570032100");
  /** The y coordinates (little-endian, sign bit cleared) of the points of order 1, 2, 4 and 8. */
  private static final byte[][] SMALL_ORDER_Y = {
      Hex.decode("0000000000000000000000000000000000000000000000000000000000000000"),
      Hex.decode("0100000000000000000000000000000000000000000000000000000000000000"),
      Hex.decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
      Hex.decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
      Hex.decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
  };
  /** L, the order of the base point, little-endian. */
  private static final byte[] ORDER = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

  private final byte[] encoded;
  private final Ed25519.PublicPoint point;
  private final Ed25519Provider provider;

  private Ed25519PublicKey(byte[] encoded, Ed25519.PublicPoint point, Ed25519Provider provider) {
    this.encoded = encoded;
    this.point = point;
    this.provider = provider;
  }

  /** From the 32-byte encoding; refuses non-canonical and small-order points. */
  public static Ed25519PublicKey fromBytes(byte[] raw) {
    if (raw.length != 32) {
      throw new KeyException(KeyException.Reason.LENGTH,
          "Ed25519 public key must be 32 bytes, got " + raw.length);
    }
    byte[] copy = raw.clone();
    Ed25519.PublicPoint p = Ed25519.validatePublicKeyFullExport(copy, 0);
    if (p == null) {
      throw new KeyException(KeyException.Reason.INVALID, "not a valid Ed25519 public point");
    }
    return new Ed25519PublicKey(copy, p, Ed25519Provider.preferred().provider());
  }

  /** This key, verified by {@code p}. */
  public Ed25519PublicKey using(Ed25519Provider p) {
    return p == provider ? this : new Ed25519PublicKey(encoded, point, p);
  }

  public Ed25519Provider provider() {
    return provider;
  }

  Ed25519.PublicPoint point() {
    return point;
  }

  /** The encoding itself, not a copy: for providers, which never write to it. */
  byte[] encodedUnsafe() {
    return encoded;
  }

  /** From base64url (padded or not), hex, or an X.509 SubjectPublicKeyInfo PEM. */
  public static Ed25519PublicKey parse(String text) {
    String t = text.strip();
    if (Pem.looksLikePem(t)) {
      Pem pem = Pem.parse(t);
      if (!pem.label().equals("PUBLIC KEY")) {
        throw new KeyException(KeyException.Reason.WRONG_TYPE, "expected a PUBLIC KEY PEM, got " + pem.label());
      }
      byte[] der = pem.der();
      if (der.length != 44 || !Arrays.equals(der, 0, 12, X509_PREFIX, 0, 12)) {
        throw new KeyException(KeyException.Reason.WRONG_TYPE, "PEM does not hold an Ed25519 public key");
      }
      return fromBytes(Arrays.copyOfRange(der, 12, 44));
    }
    return fromBytes(KeyText.decodeBytes(t, 32, "Ed25519 public key"));
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

  public String toX509Pem() {
    byte[] der = Arrays.copyOf(X509_PREFIX, 44);
    System.arraycopy(encoded, 0, der, 12, 32);
    return new Pem("PUBLIC KEY", der).encode();
  }

  /** The birational map to Curve25519, as the Mixin SDKs do for PIN keys. */
  public X25519PublicKey toX25519() {
    return X25519PublicKey.fromBytes(Curve25519Conversion.edwardsToMontgomery(encoded));
  }

  @Override
  public boolean verify(byte[] signature, byte[] data, int offset, int length) {
    if (signature.length != Ed25519.SIGNATURE_SIZE || !canonicalScalar(signature) || !acceptableR(signature)) {
      return false;
    }
    return provider.verifyScreened(this, signature, data, offset, length);
  }

  /** S &lt; L, compared little-endian from the top byte. */
  private static boolean canonicalScalar(byte[] sig) {
    for (int i = 31; i >= 0; i--) {
      int s = sig[32 + i] & 0xff;
      int l = ORDER[i] & 0xff;
      if (s != l) {
        return s < l;
      }
    }
    return false;
  }

  /** R's y is below p, its x is not a negative zero, and it is not a small-order point. */
  private static boolean acceptableR(byte[] sig) {
    // y >= p = 2^255 - 19: bytes 1..30 all 0xff, byte 31 (sign cleared) 0x7f, byte 0 >= 0xed.
    boolean high = (sig[31] & 0x7f) == 0x7f;
    for (int i = 1; high && i < 31; i++) {
      high = sig[i] == (byte) 0xff;
    }
    if (high && (sig[0] & 0xff) >= 0xed) {
      return false;
    }
    for (byte[] y : SMALL_ORDER_Y) {
      if (sameY(sig, y)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameY(byte[] sig, byte[] y) {
    for (int i = 0; i < 31; i++) {
      if (sig[i] != y[i]) {
        return false;
      }
    }
    return (sig[31] & 0x7f) == y[31];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey k && Arrays.equals(encoded, k.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.ED25519;
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + toBase64Url() + "]";
  }
}
