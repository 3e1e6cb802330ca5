/**
 * HTTP Message Signatures (RFC 9421) by a registered session instead of a token: the signature
 * base, structured fields, {@code Content-Digest} (RFC 9530), the signer and the strict verifier.
 */
package dev.signet.scheme.httpsig;
