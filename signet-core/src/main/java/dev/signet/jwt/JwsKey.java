package dev.signet.jwt;

import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.PublicKeyVerify;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPublicKey;
import java.util.Objects;

/**
 * A verification key bound to exactly one JWS algorithm. A token whose header names another
 * algorithm is refused before any cryptography runs: the key decides, never the token.
 */
public final class JwsKey {
  private static final int LEGACY_RSA_BITS = 1024;

  private final JwsAlgorithm algorithm;
  private final PublicKeyVerify verifier;
  private final Object publicKey;

  private JwsKey(JwsAlgorithm algorithm, PublicKeyVerify verifier, Object publicKey) {
    this.algorithm = algorithm;
    this.verifier = verifier;
    this.publicKey = publicKey;
  }

  public static JwsKey eddsa(Ed25519PublicKey key) {
    return new JwsKey(JwsAlgorithm.EdDSA, key, key);
  }

  public static JwsKey rs256(RsaPublicKey key) {
    return new JwsKey(JwsAlgorithm.RS256, key.verifier(RsaDigest.SHA256), key);
  }

  public static JwsKey rs512(RsaPublicKey key) {
    return new JwsKey(JwsAlgorithm.RS512, key.verifier(RsaDigest.SHA512), key);
  }

  /** For an RSA key registered with {@code algorithm} (RS256 or RS512). */
  public static JwsKey rsa(RsaPublicKey key, JwsAlgorithm algorithm) {
    switch (Objects.requireNonNull(algorithm)) {
      case RS256:
        return rs256(key);
      case RS512:
        return rs512(key);
      default:
        throw new IllegalArgumentException("an RSA key cannot be used with " + algorithm);
    }
  }

  /**
   * A registered key from its text form (Ed25519: base64url, hex or PEM; RSA: PEM) for
   * {@code algorithm}. RS512 is the legacy Mixin bot-session algorithm, whose RSA keys are 1024
   * bits: accepted from 1024 bits there only; RS256 keys need 2048.
   */
  public static JwsKey parse(JwsAlgorithm algorithm, String text) {
    switch (Objects.requireNonNull(algorithm)) {
      case EdDSA:
        return eddsa(Ed25519PublicKey.parse(text));
      case RS512:
        return rs512(RsaPublicKey.parse(text, LEGACY_RSA_BITS));
      default:
        return rs256(RsaPublicKey.parse(text));
    }
  }

  /** This key with its Ed25519 computed by {@code provider}; an RSA key is returned as it is. */
  public JwsKey using(Ed25519Provider provider) {
    if (publicKey instanceof Ed25519PublicKey ed && ed.provider() != provider) {
      return eddsa(ed.using(provider));
    }
    return this;
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  /** The {@link Ed25519PublicKey} or {@link RsaPublicKey} this wraps. */
  public Object publicKey() {
    return publicKey;
  }

  boolean verify(byte[] signature, byte[] data, int off, int len) {
    return verifier.verify(signature, data, off, len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JwsKey k && k.algorithm == algorithm && k.publicKey.equals(publicKey);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "JwsKey[" + algorithm + ", " + publicKey + "]";
  }
}
