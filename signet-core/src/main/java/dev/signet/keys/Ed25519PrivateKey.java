package dev.signet.keys;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 private key (its 32-byte seed) with its public key, signing with the key's provider. */
public final class Ed25519PrivateKey implements PublicKeySign, SigningKey {
  private static final byte[] PKCS8_PREFIX = Hex.decode("302e020100300506032b657004220420");

  private final byte[] seed;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed) {
    this(seed, publicKeyOf(seed));
  }

  private Ed25519PrivateKey(byte[] seed, Ed25519PublicKey publicKey) {
    this.seed = seed;
    this.publicKey = publicKey;
  }

  private static Ed25519PublicKey publicKeyOf(byte[] seed) {
    byte[] pub = new byte[32];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    return Ed25519PublicKey.fromBytes(pub);
  }

  /** This key (and its public key), computed by {@code p}. */
  public Ed25519PrivateKey using(Ed25519Provider p) {
    return p == publicKey.provider() ? this : new Ed25519PrivateKey(seed, publicKey.using(p));
  }

  public Ed25519Provider provider() {
    return publicKey.provider();
  }

  public static Ed25519PrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return new Ed25519PrivateKey(seed);
  }

  /**
   * From 32 bytes (the seed) or 64 bytes (seed then public key, the Go and Mixin form); in the
   * latter the public half must match the seed.
   */
  public static Ed25519PrivateKey fromBytes(byte[] raw) {
    if (raw.length != 32 && raw.length != 64) {
      throw new KeyException(KeyException.Reason.LENGTH,
          "Ed25519 private key must be 32 or 64 bytes, got " + raw.length);
    }
    Ed25519PrivateKey key = new Ed25519PrivateKey(Arrays.copyOf(raw, 32));
    if (raw.length == 64 && !MessageDigest.isEqual(key.publicKey.toBytes(), Arrays.copyOfRange(raw, 32, 64))) {
      throw new KeyException(KeyException.Reason.MISMATCH,
          "the public half of the 64-byte Ed25519 key does not match its seed");
    }
    return key;
  }

  /** From base64url (padded or not) or hex of 32 or 64 bytes, or a PKCS#8 PEM. */
  public static Ed25519PrivateKey parse(String text) {
    String t = text.strip();
    if (Pem.looksLikePem(t)) {
      Pem pem = Pem.parse(t);
      if (!pem.label().equals("PRIVATE KEY")) {
        throw new KeyException(KeyException.Reason.WRONG_TYPE, "expected a PRIVATE KEY (PKCS#8) PEM, got " + pem.label());
      }
      byte[] der = pem.der();
      if (der.length != 48 || !Arrays.equals(der, 0, 16, PKCS8_PREFIX, 0, 16)) {
        throw new KeyException(KeyException.Reason.WRONG_TYPE, "PEM does not hold an Ed25519 private key");
      }
      return fromBytes(Arrays.copyOfRange(der, 16, 48));
    }
    return fromBytes(KeyText.decodeBytes(t, -1, "Ed25519 private key"));
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  public byte[] seed() {
    return seed.clone();
  }

  /** Seed then public key, 64 bytes: what Go's ed25519.PrivateKey and the Mixin keystores hold. */
  public byte[] toBytes64() {
    byte[] out = Arrays.copyOf(seed, 64);
    System.arraycopy(publicKey.toBytes(), 0, out, 32, 32);
    return out;
  }

  public String toBase64Url() {
    return Base64Url.encode(toBytes64());
  }

  public String toSeedHex() {
    return Hex.encode(seed);
  }

  public String toPkcs8Pem() {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, 48);
    System.arraycopy(seed, 0, der, 16, 32);
    return new Pem("PRIVATE KEY", der).encode();
  }

  /** The Curve25519 private key the Mixin SDKs derive for PINs: clamped SHA-512(seed)[0..32]. */
  public X25519PrivateKey toX25519() {
    return X25519PrivateKey.fromBytes(Curve25519Conversion.seedToScalar(seed));
  }

  @Override
  public byte[] sign(byte[] data) {
    return publicKey.provider().sign(seed, publicKey.encodedUnsafe(), data, 0, data.length);
  }

  @Override
  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.ED25519;
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey.toBase64Url() + "]";
  }
}
