/**
 * Keys that carry their algorithm ({@link dev.signet.keys.PublicKeySign}, {@link
 * dev.signet.keys.PublicKeyVerify}): Ed25519 (libsodium or BouncyCastle, one strictness rule for
 * both), RSA of 2048 bits or more, secp256k1 for Graphene, X25519 for PINs; their text and PEM
 * forms, and the SDKs' keystore files.
 */
package dev.signet.keys;
