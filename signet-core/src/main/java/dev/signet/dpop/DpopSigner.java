package dev.signet.dpop;

import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519PrivateKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Makes DPoP proofs (RFC 9449) with a client's key: Ed25519 (EdDSA) or P-256 (ES256). One proof
 * per request: {@code jti} random, {@code iat} now, {@code htm}/{@code htu} the request's (the
 * query and fragment left out), {@code ath} when an access token goes with it, and the server's
 * nonce when it asked for one.
 */
public final class DpopSigner {
  private final String alg;
  private final Map<String, Object> jwk;
  private final Ed25519PrivateKey ed25519;
  private final KeyPair ec;
  private final Clock clock;

  private DpopSigner(String alg, Map<String, Object> jwk, Ed25519PrivateKey ed25519, KeyPair ec, Clock clock) {
    this.alg = alg;
    this.jwk = Map.copyOf(jwk);
    this.ed25519 = ed25519;
    this.ec = ec;
    this.clock = Objects.requireNonNull(clock);
  }

  public static DpopSigner ed25519(Ed25519PrivateKey key, Clock clock) {
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("x", key.publicKey().toBase64Url());
    return new DpopSigner("EdDSA", jwk, key, null, clock);
  }

  /** A P-256 key pair (the JDK's {@code EC} with {@code secp256r1}). */
  public static DpopSigner es256(KeyPair pair, Clock clock) {
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    if (pub.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("ES256 needs a P-256 key");
    }
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "EC");
    jwk.put("crv", "P-256");
    jwk.put("x", Base64Url.encode(fixed32(pub.getW().getAffineX())));
    jwk.put("y", Base64Url.encode(fixed32(pub.getW().getAffineY())));
    return new DpopSigner("ES256", jwk, null, pair, clock);
  }

  /** The key's RFC 7638 thumbprint: the {@code cnf.jkt} of tokens bound to it. */
  public String thumbprint() {
    // The proofs' jwk holds exactly the required members (kty, crv, x and, for EC, y).
    Map<String, String> members = new java.util.HashMap<>();
    jwk.forEach((k, v) -> members.put(k, (String) v));
    return Jwk.thumbprint(members);
  }

  /** The public key as the proofs carry it. */
  public Map<String, Object> publicJwk() {
    return jwk;
  }

  /**
   * @param uri the request's absolute URI
   * @param accessToken the access token sent with it, or null (token endpoint)
   * @param nonce the server's {@code DPoP-Nonce}, or null
   */
  public String proof(String method, String uri, String accessToken, String nonce) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("htm", method);
    claims.put("htu", uri.replaceFirst("[?#].*$", ""));
    claims.put("iat", clock.instant().getEpochSecond());
    if (accessToken != null) {
      claims.put("ath", DpopVerifier.accessTokenHash(accessToken));
    }
    if (nonce != null) {
      claims.put("nonce", nonce);
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "dpop+jwt");
    header.put("alg", alg);
    header.put("jwk", jwk);
    return sign(header, claims);
  }

  /** Signs exactly this header and these claims with the key (for tests of what verifiers refuse). */
  public String sign(Map<String, ?> header, Map<String, ?> claims) {
    String input = Base64Url.encode(StrictJson.write(header)) + "." + Base64Url.encode(StrictJson.write(claims));
    byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
    byte[] sig;
    if (ed25519 != null) {
      sig = ed25519.sign(bytes);
    } else {
      try {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(ec.getPrivate());
        s.update(bytes);
        sig = s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ES256 signing failed", e);
      }
    }
    return input + "." + Base64Url.encode(sig);
  }

  private static byte[] fixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }
}
