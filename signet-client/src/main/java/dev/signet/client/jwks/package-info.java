/**
 * Fetches a service issuer's JWK Set over HTTPS for {@link dev.signet.jwks.RemoteJwks}: certificate
 * and host checked, no redirects, bounded time and size.
 */
package dev.signet.client.jwks;
