package dev.signet.keys;

/** A private key a client signs request tokens with: Ed25519 (EdDSA) or RSA (RS256/RS512). */
public sealed interface SigningKey permits Ed25519PrivateKey, RsaPrivateKey {
  KeyAlgorithm algorithm();

  /**
   * Reads an Ed25519 key (base64url, hex, PKCS#8 PEM) or an RSA key (PKCS#1 or PKCS#8 PEM); RSA
   * keys of {@code minRsaBits} at least (legacy Mixin keys were 1024 bits; new keys are 2048+).
   */
  static SigningKey parse(String text, int minRsaBits) {
    String t = text.strip();
    if (Pem.looksLikePem(t)) {
      if (t.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {
        return RsaPrivateKey.parse(t, minRsaBits);
      }
      Pem pem = Pem.parse(t);
      return pem.der().length == 48 ? Ed25519PrivateKey.parse(t) : RsaPrivateKey.parse(t, minRsaBits);
    }
    return Ed25519PrivateKey.parse(t);
  }

  static SigningKey parse(String text) {
    return parse(text, RsaChecks.DEFAULT_MIN_BITS);
  }
}
