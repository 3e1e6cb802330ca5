/**
 * The compact JWS codec at the heart of the verifier: three canonical base64url parts, a header
 * whose algorithm the key must allow, claims read strictly; and signing with keys that carry their
 * algorithm.
 */
package dev.signet.jwt;
