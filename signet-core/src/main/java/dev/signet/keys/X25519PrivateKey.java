package dev.signet.keys;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** A Curve25519 private scalar; computes X25519 shared secrets. */
public final class X25519PrivateKey {
  private final byte[] scalar;
  private final X25519PublicKey publicKey;

  private X25519PrivateKey(byte[] scalar) {
    this.scalar = scalar;
    byte[] pub = new byte[32];
    X25519.scalarMultBase(scalar, 0, pub, 0);
    this.publicKey = X25519PublicKey.fromBytes(pub);
  }

  public static X25519PrivateKey generate(SecureRandom random) {
    byte[] k = new byte[32];
    X25519.generatePrivateKey(random, k);
    return new X25519PrivateKey(k);
  }

  public static X25519PrivateKey fromBytes(byte[] raw) {
    if (raw.length != 32) {
      throw new KeyException(KeyException.Reason.LENGTH, "X25519 private key must be 32 bytes, got " + raw.length);
    }
    return new X25519PrivateKey(raw.clone());
  }

  public static X25519PrivateKey parse(String text) {
    return fromBytes(KeyText.decodeBytes(text, 32, "X25519 private key"));
  }

  public X25519PublicKey publicKey() {
    return publicKey;
  }

  public byte[] toBytes() {
    return scalar.clone();
  }

  /**
   * The X25519 shared secret with {@code peer}. Refuses an all-zero result (a low-order peer key),
   * which would make the "secret" known to anyone.
   */
  public byte[] agree(X25519PublicKey peer) {
    byte[] shared = new byte[32];
    if (!X25519.calculateAgreement(scalar, 0, peer.toBytes(), 0, shared, 0)) {
      throw new KeyException(KeyException.Reason.INVALID, "X25519 peer key is of low order (all-zero shared secret)");
    }
    return shared;
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.X25519;
  }

  @Override
  public String toString() {
    return "X25519PrivateKey[public=" + publicKey.toBase64Url() + "]";
  }
}
