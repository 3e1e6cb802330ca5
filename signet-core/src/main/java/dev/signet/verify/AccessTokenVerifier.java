package dev.signet.verify;

import dev.signet.jwt.Claims;
import dev.signet.jwt.ParsedJws;

/**
 * Access tokens a deployment issued itself (such as the ones a Graphene login returns): bearer
 * tokens for their lifetime, recognised by their claims and checked by whoever issued them.
 */
public interface AccessTokenVerifier {
  /** Whether a token's unverified claims say it is one of these (then only {@link #verify} decides). */
  boolean recognizes(Claims unverifiedClaims) throws VerificationException;

  /** Tokens of this kind longer than this are refused unread. */
  int maxLength();

  /** Signature, expiry and audience of a token the caller parsed to recognise it. */
  Principal verify(ParsedJws jws, Claims unverifiedClaims) throws VerificationException;
}
