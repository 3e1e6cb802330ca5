/**
 * The request-bound JWTs of the seed documents: bot tokens ({@code uid sid iat exp jti sig scp};
 * EdDSA or legacy RS512) and OAuth user tokens ({@code iss aid ... sig scp}), each with its signer
 * and verifier.
 */
package dev.signet.scheme.mixin;
