package dev.signet.jwt;

import dev.signet.codec.Base64Url;
import dev.signet.keys.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Public keys as JSON Web Keys (RFC 7517, RFC 8037 for Ed25519) and their RFC 7638 thumbprints. */
public final class Jwk {
  private Jwk() {}

  /** {@code {"kty":"OKP","crv":"Ed25519","x":...,"kid":thumbprint,"use":"sig","alg":"EdDSA"}}. */
  public static Map<String, Object> signingKey(Ed25519PublicKey key) {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("x", key.toBase64Url());
    jwk.put("kid", thumbprint(key));
    jwk.put("use", "sig");
    jwk.put("alg", "EdDSA");
    return jwk;
  }

  /**
   * RFC 7638: base64url(SHA-256) of the required members in lexicographic order, no whitespace
   * ({@code crv}, {@code kty}, {@code x} for an OKP key).
   */
  public static String thumbprint(Ed25519PublicKey key) {
    String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + key.toBase64Url() + "\"}";
    try {
      return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
