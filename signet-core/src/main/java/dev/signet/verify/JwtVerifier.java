package dev.signet.verify;

import dev.signet.jwt.Claims;
import dev.signet.jwt.ParsedJws;

/**
 * A verifier of compact JWS tokens that also takes a token already parsed, so that a caller who
 * parsed it to choose the verifier (by its claims) does not parse it twice, and that can leave the
 * single-use claim to a caller whose replay store answers asynchronously.
 */
public interface JwtVerifier extends Verifier {
  /** Everything {@link #verify(AuthRequest)} checks, on a token the caller parsed from {@code request}. */
  Principal verify(AuthRequest request, ParsedJws jws, Claims unverifiedClaims) throws VerificationException;

  /**
   * Every check but single use, which the caller must then make with the returned token (its
   * principal is not to be trusted before). For hosts that must not block on their replay store.
   */
  CheckedToken checkExceptReplay(AuthRequest request, ParsedJws jws, Claims unverifiedClaims) throws VerificationException;
}
