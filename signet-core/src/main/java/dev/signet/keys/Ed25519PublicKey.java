package dev.signet.keys;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key. The point is decoded and validated once, here, so that every later
 * verification skips the decompression (BouncyCastle: several times faster than the JDK provider).
 */
public final class Ed25519PublicKey implements PublicKeyVerify {
  private static final byte[] X509_PREFIX = Hex.decode("302a300506032b6570032100");

  private final byte[] encoded;
  private final Ed25519.PublicPoint point;

  private Ed25519PublicKey(byte[] encoded, Ed25519.PublicPoint point) {
    this.encoded = encoded;
    this.point = point;
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
    return new Ed25519PublicKey(copy, p);
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
    if (signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, point, data, offset, length);
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
