/**
 * RS256 service-account JWTs (seed 002): {@code aud exp iat iss jti sub} and a {@code kid} naming
 * the issuer's key.
 */
package dev.signet.scheme.service;
