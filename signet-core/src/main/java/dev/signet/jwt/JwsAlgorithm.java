package dev.signet.jwt;

import dev.signet.keys.KeyAlgorithm;
import java.util.Optional;

/** The only JWS algorithms Signet signs or accepts. No {@code none}, no HMAC, by construction. */
public enum JwsAlgorithm {
  EdDSA(KeyAlgorithm.ED25519),
  RS256(KeyAlgorithm.RSA),
  RS512(KeyAlgorithm.RSA);

  private final KeyAlgorithm keyAlgorithm;

  JwsAlgorithm(KeyAlgorithm keyAlgorithm) {
    this.keyAlgorithm = keyAlgorithm;
  }

  public KeyAlgorithm keyAlgorithm() {
    return keyAlgorithm;
  }

  /** The algorithm named exactly (case-sensitive, as RFC 7515 says) by a header, if supported. */
  public static Optional<JwsAlgorithm> fromHeader(String alg) {
    switch (alg) {
      case "EdDSA":
        return Optional.of(EdDSA);
      case "RS256":
        return Optional.of(RS256);
      case "RS512":
        return Optional.of(RS512);
      default:
        return Optional.empty();
    }
  }
}
