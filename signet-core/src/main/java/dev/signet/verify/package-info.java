/**
 * Verification shared by every scheme and every face: the request a token must match, the policy
 * (window, skew, lifetime, audience, scopes, reuse), keys found by reference, and refusals that
 * name the exact check ({@link dev.signet.verify.Failure}). {@link
 * dev.signet.verify.BearerAuthenticator} picks the scheme from what a request carries.
 */
package dev.signet.verify;
