package dev.signet.keys;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** BouncyCastle's pure-Java Ed25519, verifying with the point decoded once per key. */
final class BouncyCastleEd25519 extends Ed25519Provider {
  static final BouncyCastleEd25519 INSTANCE = new BouncyCastleEd25519();

  private BouncyCastleEd25519() {}

  @Override
  public String id() {
    return "bouncycastle";
  }

  @Override
  public String description() {
    Package p = Ed25519.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    return "BouncyCastle" + (version == null ? "" : " " + version) + " (Java)";
  }

  @Override
  boolean verifyScreened(Ed25519PublicKey key, byte[] signature, byte[] data, int offset, int length) {
    return Ed25519.verify(signature, 0, key.point(), data, offset, length);
  }

  @Override
  byte[] sign(byte[] seed, byte[] publicKey, byte[] data, int offset, int length) {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicKey, 0, data, offset, length, sig, 0);
    return sig;
  }
}
