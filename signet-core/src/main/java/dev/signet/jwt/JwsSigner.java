package dev.signet.jwt;

import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.PublicKeySign;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Signs compact JWS tokens with one key and one algorithm, both fixed at construction. */
public final class JwsSigner {
  private final JwsAlgorithm algorithm;
  private final PublicKeySign signer;

  private JwsSigner(JwsAlgorithm algorithm, PublicKeySign signer) {
    this.algorithm = algorithm;
    this.signer = signer;
  }

  public static JwsSigner eddsa(Ed25519PrivateKey key) {
    return new JwsSigner(JwsAlgorithm.EdDSA, key);
  }

  public static JwsSigner rsa(RsaPrivateKey key, JwsAlgorithm algorithm) {
    switch (algorithm) {
      case RS256:
        return new JwsSigner(algorithm, key.signer(RsaDigest.SHA256));
      case RS512:
        return new JwsSigner(algorithm, key.signer(RsaDigest.SHA512));
      default:
        throw new IllegalArgumentException("an RSA key cannot sign " + algorithm);
    }
  }

  /** EdDSA for Ed25519 keys; {@code rsaAlgorithm} for RSA keys. */
  public static JwsSigner of(SigningKey key, JwsAlgorithm rsaAlgorithm) {
    if (key instanceof Ed25519PrivateKey ed) {
      return eddsa(ed);
    }
    return rsa((RsaPrivateKey) key, rsaAlgorithm);
  }

  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  public String sign(Map<String, ?> claims) {
    return sign(Map.of(), claims);
  }

  /** Header {@code alg} and {@code typ: JWT}, then {@code extraHeader} (e.g. {@code kid}). */
  public String sign(Map<String, ?> extraHeader, Map<String, ?> claims) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", algorithm.name());
    header.put("typ", "JWT");
    extraHeader.forEach((k, v) -> {
      if (header.containsKey(k) || k.equals("crit")) {
        throw new IllegalArgumentException("header parameter " + k + " cannot be set");
      }
      header.put(k, v);
    });
    String signingInput = Base64Url.encode(StrictJson.write(header)) + "." + Base64Url.encode(StrictJson.write(claims));
    byte[] sig = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64Url.encode(sig);
  }
}
