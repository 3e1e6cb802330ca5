package dev.signet.verify;

/** Every reason a credential is refused. The code is what clients see; it names the check. */
public enum Failure {
  MALFORMED("malformed", 401),
  ALGORITHM("algorithm", 401),
  UNKNOWN_KEY("unknown_key", 401),
  BAD_SIGNATURE("bad_signature", 401),
  EXPIRED("expired", 401),
  ISSUED_IN_FUTURE("issued_in_future", 401),
  STALE("stale", 401),
  LIFETIME("lifetime", 401),
  AUDIENCE("audience", 401),
  REQUEST_MISMATCH("request_mismatch", 401),
  SCOPE("scope", 403),
  REPLAYED("replayed", 401),
  AUTH_IDENTIFIER("auth_identifier", 401),
  NETWORK("network", 401),
  BLOCK("block", 401),
  AUTHORITY("authority", 401),
  /** RFC 9449: a DPoP proof is missing, malformed or does not match the request or the token. */
  DPOP_PROOF("invalid_dpop_proof", 401),
  /** RFC 9449 section 8: the proof must carry the nonce this server gives in {@code DPoP-Nonce}. */
  DPOP_NONCE("use_dpop_nonce", 401),
  /** A dependency (replay store, key store, chain node) cannot answer: fail closed. */
  UNAVAILABLE("unavailable", 503);

  private final String code;
  private final int httpStatus;

  Failure(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
