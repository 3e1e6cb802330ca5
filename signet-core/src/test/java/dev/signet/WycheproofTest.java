package dev.signet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.KeyException;
import dev.signet.keys.PublicKeyVerify;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPublicKey;
import dev.signet.keys.Secp256k1;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.AesCbc;
import dev.signet.testing.Providers;
import dev.signet.testing.Wycheproof;
import dev.signet.testing.Wycheproof.Case;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every Wycheproof file Signet relies on, one dynamic test each (Surefire counts them).
 * "valid" must pass, "invalid" must fail, "acceptable" may do either but must not crash.
 */
class WycheproofTest {

  /** Every Ed25519 case once per provider (libsodium and BouncyCastle), each its own test. */
  @TestFactory
  Stream<DynamicTest> ed25519() {
    return Providers.ed25519().stream().flatMap(provider -> Wycheproof.cases("ed25519_test.json").stream()
        .map(c -> dynamicTest("ed25519 " + provider.id() + " " + c, () -> {
          byte[] pk = Hex.decode(c.group().get("publicKey").get("pk").asText());
          boolean ok;
          try {
            Ed25519PublicKey key = Ed25519PublicKey.fromBytes(pk).using(provider);
            ok = key.verify(Hex.decode(c.hex("sig")), Hex.decode(c.hex("msg")));
          } catch (KeyException e) {
            ok = false;
          }
          expect(c, ok);
        })));
  }

  @TestFactory
  Stream<DynamicTest> rsaPkcs1Sha256() {
    return rsa("rsa_signature_2048_sha256_test.json", RsaDigest.SHA256);
  }

  @TestFactory
  Stream<DynamicTest> rsaPkcs1Sha512() {
    return rsa("rsa_signature_2048_sha512_test.json", RsaDigest.SHA512);
  }

  private Stream<DynamicTest> rsa(String file, RsaDigest digest) {
    return Wycheproof.cases(file).stream().map(c -> dynamicTest(digest + " " + c, () -> {
      RSAPublicKey jdk = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(Hex.decode(c.group().get("publicKeyDer").asText())));
      PublicKeyVerify v = RsaPublicKey.of(jdk, 2048).verifier(digest);
      expect(c, v.verify(Hex.decode(c.hex("sig")), Hex.decode(c.hex("msg"))));
    }));
  }

  @TestFactory
  Stream<DynamicTest> secp256k1BitcoinLowS() {
    return ecdsa("ecdsa_secp256k1_sha256_bitcoin_test.json", true);
  }

  @TestFactory
  Stream<DynamicTest> secp256k1() {
    return ecdsa("ecdsa_secp256k1_sha256_test.json", false);
  }

  private Stream<DynamicTest> ecdsa(String file, boolean lowS) {
    return Wycheproof.cases(file).stream().map(c -> dynamicTest((lowS ? "secp256k1 low-S " : "secp256k1 ") + c, () -> {
      byte[] pub = Hex.decode(c.group().get("publicKey").get("uncompressed").asText());
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(Hex.decode(c.hex("msg")));
      expect(c, Secp256k1.verifyDer(pub, hash, Hex.decode(c.hex("sig")), lowS));
    }));
  }

  @TestFactory
  Stream<DynamicTest> x25519() {
    return Wycheproof.cases("x25519_test.json").stream().map(c -> dynamicTest("x25519 " + c, () -> {
      X25519PrivateKey priv = X25519PrivateKey.fromBytes(Hex.decode(c.hex("private")));
      X25519PublicKey pub = X25519PublicKey.fromBytes(Hex.decode(c.hex("public")));
      String shared;
      try {
        shared = Hex.encode(priv.agree(pub));
      } catch (KeyException e) {
        // Refused: only an all-zero shared secret may be refused, and Wycheproof never calls that valid.
        assertThat(c.hex("shared")).isEqualTo("00".repeat(32));
        assertThat(c.result()).isNotEqualTo("valid");
        return;
      }
      if (!c.result().equals("invalid")) {
        assertThat(shared).isEqualTo(c.hex("shared"));
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> aesCbcPkcs5() {
    return Wycheproof.cases("aes_cbc_pkcs5_test.json").stream().map(c -> dynamicTest("aes-cbc " + c, () -> {
      byte[] key = Hex.decode(c.hex("key"));
      byte[] iv = Hex.decode(c.hex("iv"));
      byte[] msg = Hex.decode(c.hex("msg"));
      byte[] ct = Hex.decode(c.hex("ct"));
      byte[] plain = AesCbc.decrypt(key, iv, ct);
      if (c.result().equals("valid")) {
        assertThat(plain).isEqualTo(msg);
        assertThat(AesCbc.encrypt(key, iv, msg)).isEqualTo(ct);
      } else {
        assertThat(plain).as(c.toString()).isNull();
      }
    }));
  }

  /** JWS cases: RS256 ones are verified; HS256, ES256, none and JWE are refused as unsupported. */
  @TestFactory
  Stream<DynamicTest> jsonWebCrypto() {
    return Wycheproof.cases("json_web_crypto_test.json").stream().map(c -> dynamicTest("jose " + c, () -> {
      JsonNode token = c.test().has("jws") ? c.test().get("jws") : c.test().get("jwe");
      if (!token.isTextual()) {
        // JSON serialization: Signet reads compact tokens only.
        assertThatThrownBy(() -> CompactJws.parse(token.toString(), 8192)).isInstanceOf(VerificationException.class);
        return;
      }
      JsonNode jwk = c.group().get("public") != null ? c.group().get("public") : c.group().get("private");
      JwsKey key = supportedKey(jwk);
      if (key == null) {
        assertThatThrownBy(() -> CompactJws.parse(token.asText(), 8192).verify(unrelatedKey()))
            .isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.failure()).isIn(Failure.ALGORITHM, Failure.MALFORMED));
        return;
      }
      boolean ok;
      try {
        CompactJws.parse(token.asText(), 8192).verify(key);
        ok = true;
      } catch (VerificationException e) {
        ok = false;
      }
      expect(c, ok);
    }));
  }

  /** An RS256 JwsKey for the JWK, or null when Signet refuses the key or its algorithm. */
  private static JwsKey supportedKey(JsonNode jwk) {
    if (jwk == null || !"RSA".equals(jwk.path("kty").asText()) || !"RS256".equals(jwk.path("alg").asText())) {
      return null;
    }
    try {
      BigInteger n = new BigInteger(1, Base64Url.decode(jwk.get("n").asText()));
      BigInteger e = new BigInteger(1, Base64Url.decode(jwk.get("e").asText()));
      return JwsKey.rs256(RsaPublicKey.fromModulus(n, e));
    } catch (KeyException ex) {
      // The ROCA group's key lands here: refused as weak.
      assertThat(ex.reason()).isEqualTo(KeyException.Reason.WEAK);
      return null;
    }
  }

  // Any key will do: the token's algorithm or shape must be refused before the key matters.
  private static JwsKey unrelatedKey() {
    return JwsKey.eddsa(Ed25519PrivateKey.generate(new SecureRandom()).publicKey());
  }

  private static void expect(Case c, boolean verified) {
    switch (c.result()) {
      case "valid":
        assertThat(verified).as(c.toString()).isTrue();
        break;
      case "invalid":
        assertThat(verified).as(c.toString()).isFalse();
        break;
      case "acceptable":
        break;
      default:
        throw new AssertionError("unknown Wycheproof result " + c.result());
    }
  }
}
