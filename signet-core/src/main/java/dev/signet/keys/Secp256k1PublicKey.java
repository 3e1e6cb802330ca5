package dev.signet.keys;

import dev.signet.codec.Base58;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key; Graphene writes it as a prefix ({@code STM}, {@code TST}, ...) then
 * base58 of the 33-byte compressed point and the first 4 bytes of its RIPEMD-160.
 */
public final class Secp256k1PublicKey {
  private final ECPoint point;
  private final byte[] compressed;

  Secp256k1PublicKey(ECPoint point) {
    this.point = point.normalize();
    this.compressed = this.point.getEncoded(true);
  }

  public static Secp256k1PublicKey fromBytes(byte[] encoded) {
    return new Secp256k1PublicKey(Secp256k1.decodePoint(encoded));
  }

  /** Parses a Graphene public key whose prefix must be {@code prefix}. */
  public static Secp256k1PublicKey parseGraphene(String text, String prefix) {
    String t = text.strip();
    if (!t.startsWith(prefix) || t.length() <= prefix.length()) {
      throw new KeyException(KeyException.Reason.WRONG_TYPE, "Graphene public key does not start with prefix " + prefix);
    }
    byte[] raw;
    try {
      raw = Base58.decode(t.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      throw new KeyException(KeyException.Reason.ENCODING, "Graphene public key is not base58");
    }
    if (raw.length != 37) {
      throw new KeyException(KeyException.Reason.LENGTH, "Graphene public key must decode to 37 bytes, got " + raw.length);
    }
    byte[] key = Arrays.copyOf(raw, 33);
    if (!MessageDigest.isEqual(Arrays.copyOf(ripemd160(key), 4), Arrays.copyOfRange(raw, 33, 37))) {
      throw new KeyException(KeyException.Reason.CHECKSUM, "Graphene public key checksum does not match");
    }
    return fromBytes(key);
  }

  /** Parses a Graphene public key, taking its prefix to be the leading upper-case letters. */
  public static Secp256k1PublicKey parseGraphene(String text) {
    String t = text.strip();
    int i = 0;
    while (i < t.length() && t.charAt(i) >= 'A' && t.charAt(i) <= 'Z') {
      i++;
    }
    if (i == 0) {
      throw new KeyException(KeyException.Reason.ENCODING, "Graphene public key has no prefix");
    }
    if (i == t.length()) {
      throw new KeyException(KeyException.Reason.LENGTH, "Graphene public key has nothing after its prefix");
    }
    return parseGraphene(t, t.substring(0, i));
  }

  public String toGraphene(String prefix) {
    byte[] out = Arrays.copyOf(compressed, 37);
    System.arraycopy(ripemd160(compressed), 0, out, 33, 4);
    return prefix + Base58.encode(out);
  }

  public byte[] compressed() {
    return compressed.clone();
  }

  ECPoint point() {
    return point;
  }

  /** Verifies a 65-byte Graphene compact signature over a 32-byte hash (low-S required). */
  public boolean verifyCompact(byte[] hash, byte[] compact) {
    Secp256k1PublicKey signer = GrapheneSignature.recover(hash, compact);
    return signer != null && signer.equals(this);
  }

  /** Plain ECDSA check of (r, s); {@code requireLowS} refuses the malleable high-S twin. */
  public boolean verify(byte[] hash, BigInteger r, BigInteger s, boolean requireLowS) {
    return Secp256k1.verify(point, hash, r, s, requireLowS);
  }

  private static byte[] ripemd160(byte[] data) {
    RIPEMD160Digest d = new RIPEMD160Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[20];
    d.doFinal(out, 0);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey k && Arrays.equals(compressed, k.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.SECP256K1;
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey[" + toGraphene("STM") + "]";
  }
}
