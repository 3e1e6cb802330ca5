package dev.signet.jwt;

import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.keys.Ed25519PublicKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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
   * {@code {"kty":"RSA","n":...,"e":...,"kid":thumbprint,"use":"sig","alg":"RS256"}}: how an issuer
   * publishes a service-token key in its JWKS.
   */
  public static Map<String, Object> signingKey(dev.signet.keys.RsaPublicKey key) {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("n", unsigned(key.jdkKey().getModulus()));
    jwk.put("e", unsigned(key.jdkKey().getPublicExponent()));
    jwk.put("kid", thumbprint(Map.of("e", (String) jwk.get("e"), "kty", "RSA", "n", (String) jwk.get("n"))));
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    return jwk;
  }

  /** RFC 7518 section 6.3.1: the big-endian magnitude without a leading zero, base64url. */
  private static String unsigned(java.math.BigInteger v) {
    byte[] b = v.toByteArray();
    int skip = b.length > 1 && b[0] == 0 ? 1 : 0;
    return Base64Url.encode(java.util.Arrays.copyOfRange(b, skip, b.length));
  }

  /** The RFC 7638 thumbprint of an Ed25519 key ({@code crv}, {@code kty}, {@code x}). */
  public static String thumbprint(Ed25519PublicKey key) {
    return thumbprint(Map.of("crv", "Ed25519", "kty", "OKP", "x", key.toBase64Url()));
  }

  /**
   * RFC 7638: base64url(SHA-256) of a key's required members ({@code crv kty x} for OKP,
   * {@code crv kty x y} for EC, {@code e kty n} for RSA) as JSON in lexicographic order, no whitespace.
   */
  public static String thumbprint(Map<String, String> requiredMembers) {
    byte[] canonical = StrictJson.write(new TreeMap<>(requiredMembers));
    try {
      return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
