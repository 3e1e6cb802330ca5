package dev.signet.keys;

/** Signs bytes with a private key whose algorithm is fixed by the key itself. */
@FunctionalInterface
public interface PublicKeySign {
  byte[] sign(byte[] data);
}
