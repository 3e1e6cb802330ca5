package dev.signet.keys;

/**
 * Verifies a signature with a public key whose algorithm is fixed by the key itself. Returns false
 * for any bad signature, including malformed ones; never throws on attacker-controlled input.
 */
@FunctionalInterface
public interface PublicKeyVerify {
  boolean verify(byte[] signature, byte[] data, int offset, int length);

  default boolean verify(byte[] signature, byte[] data) {
    return verify(signature, data, 0, data.length);
  }
}
