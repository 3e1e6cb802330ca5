package dev.signet.keys;

/** The algorithm a key belongs to; every key object carries one and only one. */
public enum KeyAlgorithm {
  ED25519,
  RSA,
  SECP256K1,
  X25519
}
