package dev.signet.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;

/** An RSA public key of at least 2048 bits (1024 for legacy keys only when asked for). */
public final class RsaPublicKey {
  private final RSAPublicKey key;

  private RsaPublicKey(RSAPublicKey key) {
    this.key = key;
  }

  /**
   * The key, re-made from its modulus and exponent: whatever encoding it came in, it holds and writes
   * out the one canonical encoding.
   */
  public static RsaPublicKey of(RSAPublicKey key, int minBits) {
    return fromModulus(key.getModulus(), key.getPublicExponent(), minBits);
  }

  public static RsaPublicKey fromModulus(BigInteger n, BigInteger e) {
    return fromModulus(n, e, RsaChecks.DEFAULT_MIN_BITS);
  }

  public static RsaPublicKey fromModulus(BigInteger n, BigInteger e, int minBits) {
    RsaChecks.checkPublic(n, e, minBits);
    try {
      return new RsaPublicKey((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
    } catch (GeneralSecurityException ex) {
      throw new KeyException(KeyException.Reason.INVALID, "RSA public key rejected by the provider");
    }
  }

  /** From an X.509 ({@code PUBLIC KEY}) or PKCS#1 ({@code RSA PUBLIC KEY}) PEM, 2048 bits at least. */
  public static RsaPublicKey parse(String pemText) {
    return parse(pemText, RsaChecks.DEFAULT_MIN_BITS);
  }

  public static RsaPublicKey parse(String pemText, int minBits) {
    Pem pem = Pem.parse(pemText);
    try {
      // Both forms through BouncyCastle's DER reader, not the JDK's: the JDK reads an exponent
      // encoded as a negative INTEGER as if it were positive (found by KeyParsingFuzzTest); here it
      // stays negative and is refused.
      Object pkcs1 = switch (pem.label()) {
        case "RSA PUBLIC KEY" -> pem.der();
        case "PUBLIC KEY" -> {
          var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pem.der());
          if (!spki.getAlgorithm().getAlgorithm().equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption)) {
            throw new KeyException(KeyException.Reason.WRONG_TYPE, "PEM does not hold an RSA public key");
          }
          yield spki.parsePublicKey();
        }
        default -> throw new KeyException(KeyException.Reason.WRONG_TYPE, "expected an RSA public key PEM, got " + pem.label());
      };
      var k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(pkcs1);
      return fromModulus(k.getModulus(), k.getPublicExponent(), minBits);
    } catch (java.io.IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
      if (e instanceof KeyException ke) {
        throw ke;
      }
      throw new KeyException(KeyException.Reason.ENCODING, "PEM does not hold a valid RSA public key");
    }
  }

  public RSAPublicKey jdkKey() {
    return key;
  }

  public int bits() {
    return key.getModulus().bitLength();
  }

  public String toX509Pem() {
    return new Pem("PUBLIC KEY", key.getEncoded()).encode();
  }

  public String toPkcs1Pem() {
    try {
      byte[] der = new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent()).getEncoded();
      return new Pem("RSA PUBLIC KEY", der).encode();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding of an RSA public key failed", e);
    }
  }

  /**
   * A verifier bound to one hash. Each thread keeps its own initialised {@link Signature}, since a
   * Signature is not thread-safe and creating one per call costs more than the RS256 check itself.
   */
  public PublicKeyVerify verifier(RsaDigest digest) {
    Objects.requireNonNull(digest);
    ThreadLocal<Signature> perThread = ThreadLocal.withInitial(() -> {
      try {
        Signature s = Signature.getInstance(digest.jdkName());
        s.initVerify(key);
        return s;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(digest.jdkName() + " is required by the Java platform", e);
      }
    });
    int modulusBytes = (key.getModulus().bitLength() + 7) / 8;
    return (signature, data, off, len) -> {
      if (signature.length != modulusBytes) {
        return false;
      }
      Signature s = perThread.get();
      try {
        s.update(data, off, len);
        return s.verify(signature);
      } catch (java.security.SignatureException e) {
        // verify() resets the object even when it throws, so it stays usable.
        return false;
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RsaPublicKey k && key.getModulus().equals(k.key.getModulus())
        && key.getPublicExponent().equals(k.key.getPublicExponent());
  }

  @Override
  public int hashCode() {
    return key.getModulus().hashCode();
  }

  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.RSA;
  }

  @Override
  public String toString() {
    return "RsaPublicKey[" + bits() + " bits]";
  }
}
