package dev.signet.keys;

import dev.signet.codec.Base58;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/** A secp256k1 private key; Graphene users hold it as WIF (base58 of 0x80, key, checksum). */
public final class Secp256k1PrivateKey {
  private final BigInteger d;
  private final Secp256k1PublicKey publicKey;

  private Secp256k1PrivateKey(BigInteger d) {
    if (!Secp256k1.inRange(d)) {
      throw new KeyException(KeyException.Reason.INVALID, "secp256k1 private key out of range");
    }
    this.d = d;
    this.publicKey = new Secp256k1PublicKey(Secp256k1.CURVE.getG().multiply(d));
  }

  public static Secp256k1PrivateKey generate(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (!Secp256k1.inRange(d));
    return new Secp256k1PrivateKey(d);
  }

  public static Secp256k1PrivateKey fromBytes(byte[] raw) {
    if (raw.length != 32) {
      throw new KeyException(KeyException.Reason.LENGTH, "secp256k1 private key must be 32 bytes, got " + raw.length);
    }
    return new Secp256k1PrivateKey(new BigInteger(1, raw));
  }

  public static Secp256k1PrivateKey parseWif(String wif) {
    byte[] raw;
    try {
      raw = Base58.decode(wif.strip());
    } catch (IllegalArgumentException e) {
      throw new KeyException(KeyException.Reason.ENCODING, "WIF is not base58");
    }
    if (raw.length != 37) {
      throw new KeyException(KeyException.Reason.LENGTH, "WIF must decode to 37 bytes, got " + raw.length);
    }
    if (raw[0] != (byte) 0x80) {
      throw new KeyException(KeyException.Reason.WRONG_TYPE, "WIF version byte must be 0x80");
    }
    byte[] check = Arrays.copyOf(doubleSha256(Arrays.copyOf(raw, 33)), 4);
    if (!MessageDigest.isEqual(check, Arrays.copyOfRange(raw, 33, 37))) {
      throw new KeyException(KeyException.Reason.CHECKSUM, "WIF checksum does not match");
    }
    return fromBytes(Arrays.copyOfRange(raw, 1, 33));
  }

  public String toWif() {
    byte[] body = new byte[33];
    body[0] = (byte) 0x80;
    System.arraycopy(toBytes(), 0, body, 1, 32);
    byte[] out = Arrays.copyOf(body, 37);
    System.arraycopy(doubleSha256(body), 0, out, 33, 4);
    return Base58.encode(out);
  }

  public byte[] toBytes() {
    byte[] b = d.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(32, b.length);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  public Secp256k1PublicKey publicKey() {
    return publicKey;
  }

  /** A canonical (low-S) 65-byte Graphene compact signature over a 32-byte hash. */
  public byte[] signCompact(byte[] hash) {
    return GrapheneSignature.sign(d, publicKey, hash);
  }

  static byte[] doubleSha256(byte[] data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return sha.digest(sha.digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.SECP256K1;
  }

  @Override
  public String toString() {
    return "Secp256k1PrivateKey[public=" + publicKey.toGraphene("STM") + "]";
  }
}
