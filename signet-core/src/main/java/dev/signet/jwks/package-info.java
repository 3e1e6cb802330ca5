/**
 * Service issuers' keys from a JWK Set URL: parsing with the key rules of {@code signet serve},
 * caching with bounded refreshes and staleness, and a {@link dev.signet.verify.KeyResolver} in
 * front of registered keys. Fetching itself is the caller's ({@link dev.signet.jwks.JwksSource}):
 * this package does no I/O.
 */
package dev.signet.jwks;
