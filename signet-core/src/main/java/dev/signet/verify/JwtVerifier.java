package dev.signet.verify;

import dev.signet.jwt.Claims;
import dev.signet.jwt.ParsedJws;

/**
 * A verifier of compact JWS tokens that also takes a token already parsed, so that a caller who
 * parsed it to choose the verifier (by its claims) does not parse it twice.
 */
public interface JwtVerifier extends Verifier {
  /** Everything {@link #verify(AuthRequest)} checks, on a token the caller parsed from {@code request}. */
  Principal verify(AuthRequest request, ParsedJws jws, Claims unverifiedClaims) throws VerificationException;
}
