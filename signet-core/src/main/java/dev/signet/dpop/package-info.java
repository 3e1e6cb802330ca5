/**
 * DPoP (RFC 9449): proofs signed by a client key, checked against the request ({@code htm},
 * normalised {@code htu}, {@code ath}, {@code iat}, single-use {@code jti}), and the server's
 * stateless nonces.
 */
package dev.signet.dpop;
