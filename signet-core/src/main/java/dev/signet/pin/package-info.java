/**
 * Encrypted PINs as the seed documents make them (Ed25519 to X25519, AES-256-CBC over PIN, time and
 * iterator), and the Argon2id hash a server compares them with.
 */
package dev.signet.pin;
