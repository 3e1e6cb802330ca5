package dev.signet.dpop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.codec.Base64Url;
import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.RsaPublicKey;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import java.util.Set;

/**
 * The public key a DPoP proof carries in its {@code jwk} header, bound to the proof's {@code alg}:
 * EdDSA or Ed25519 (RFC 9864's name for it, which panva's dpop uses; OKP Ed25519), ES256 (EC P-256), RS256 or PS256 (RSA of 2048 bits or more). Symmetric and
 * unknown algorithms are refused, as is a {@code jwk} with private members or of another key type
 * than the algorithm's. {@link #thumbprint} is its RFC 7638 SHA-256 thumbprint, the {@code jkt}.
 */
final class ProofKey {
  static final Set<String> ALGORITHMS = Set.of("EdDSA", "Ed25519", "ES256", "RS256", "PS256");
  private static final BigInteger P256_P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger P256_B = new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private final String alg;
  private final String thumbprint;
  private final Ed25519PublicKey ed25519;
  private final PublicKey jdk;

  private ProofKey(String alg, String thumbprint, Ed25519PublicKey ed25519, PublicKey jdk) {
    this.alg = alg;
    this.thumbprint = thumbprint;
    this.ed25519 = ed25519;
    this.jdk = jdk;
  }

  String thumbprint() {
    return thumbprint;
  }

  static ProofKey of(String alg, JsonNode jwk, Ed25519Provider provider) throws VerificationException {
    if (!ALGORITHMS.contains(alg)) {
      throw invalid("alg " + printable(alg) + " is not accepted: EdDSA (Ed25519), ES256, RS256 or PS256 (asymmetric only)");
    }
    if (jwk == null || !jwk.isObject()) {
      throw invalid("header jwk (the proof's public key) is missing");
    }
    for (String m : dev.signet.jwks.JwkSet.PRIVATE_MEMBERS) {
      if (jwk.has(m)) {
        throw invalid("header jwk holds a private key (" + m + ")");
      }
    }
    String kty = text(jwk, "kty");
    try {
      switch (alg) {
        case "EdDSA":
        case "Ed25519": {
          require(kty.equals("OKP") && "Ed25519".equals(text(jwk, "crv")), alg + " needs an OKP Ed25519 jwk");
          String x = text(jwk, "x");
          Ed25519PublicKey key = Ed25519PublicKey.fromBytes(bytes(x)).using(provider);
          return new ProofKey(alg, Jwk.thumbprint(Map.of("crv", "Ed25519", "kty", "OKP", "x", x)), key, null);
        }
        case "ES256": {
          require(kty.equals("EC") && "P-256".equals(text(jwk, "crv")), "ES256 needs an EC P-256 jwk");
          String x = text(jwk, "x");
          String y = text(jwk, "y");
          return new ProofKey(alg, Jwk.thumbprint(Map.of("crv", "P-256", "kty", "EC", "x", x, "y", y)), null, p256(bytes(x), bytes(y)));
        }
        default: {
          require(kty.equals("RSA"), alg + " needs an RSA jwk");
          String n = text(jwk, "n");
          String e = text(jwk, "e");
          RsaPublicKey key = RsaPublicKey.fromModulus(new BigInteger(1, bytes(n)), new BigInteger(1, bytes(e)));
          return new ProofKey(alg, Jwk.thumbprint(Map.of("e", e, "kty", "RSA", "n", n)), null, key.jdkKey());
        }
      }
    } catch (IllegalArgumentException ex) {
      throw invalid("header jwk is not a usable " + alg + " key: " + ex.getMessage());
    }
  }

  boolean verify(byte[] signature, byte[] input, int length) {
    if (ed25519 != null) {
      return ed25519.verify(signature, input, 0, length);
    }
    try {
      Signature s;
      switch (alg) {
        case "ES256":
          if (signature.length != 64) {
            return false;
          }
          s = Signature.getInstance("SHA256withECDSAinP1363Format");
          break;
        case "PS256":
          s = Signature.getInstance("RSASSA-PSS");
          s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          break;
        default:
          s = Signature.getInstance("SHA256withRSA");
      }
      s.initVerify(jdk);
      s.update(input, 0, length);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** An uncompressed P-256 point, checked to be on the curve before the JDK sees it. */
  private static PublicKey p256(byte[] x, byte[] y) throws VerificationException {
    require(x.length == 32 && y.length == 32, "EC P-256 coordinates are 32 bytes each");
    BigInteger bx = new BigInteger(1, x);
    BigInteger by = new BigInteger(1, y);
    require(bx.compareTo(P256_P) < 0 && by.compareTo(P256_P) < 0, "EC coordinates out of range");
    BigInteger rhs = bx.pow(3).subtract(bx.multiply(BigInteger.valueOf(3))).add(P256_B).mod(P256_P);
    require(by.modPow(BigInteger.TWO, P256_P).equals(rhs), "the EC point is not on P-256");
    try {
      java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
      params.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(bx, by), spec));
    } catch (GeneralSecurityException e) {
      throw invalid("the EC key is refused by the platform");
    }
  }

  private static void require(boolean ok, String what) throws VerificationException {
    if (!ok) {
      throw invalid(what);
    }
  }

  private static String text(JsonNode jwk, String name) throws VerificationException {
    JsonNode n = jwk.get(name);
    if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
      throw invalid("header jwk has no " + name);
    }
    return n.textValue();
  }

  private static byte[] bytes(String b64) throws VerificationException {
    try {
      return Base64Url.decode(b64);
    } catch (IllegalArgumentException e) {
      throw invalid("header jwk member is not base64url");
    }
  }

  static VerificationException invalid(String detail) {
    return new VerificationException(Failure.DPOP_PROOF, detail);
  }

  static String printable(String s) {
    String t = s.length() > 16 ? s.substring(0, 16) + "..." : s;
    return '"' + t.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }
}
