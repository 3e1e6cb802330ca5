package dev.signet.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;

/** An RSA private key, read from PKCS#1 or PKCS#8 PEM, checked for consistency and strength. */
public final class RsaPrivateKey implements SigningKey {
  private final RSAPrivateCrtKey key;
  private final RsaPublicKey publicKey;

  private RsaPrivateKey(RSAPrivateCrtKey key, int minBits) {
    BigInteger n = key.getModulus();
    if (!key.getPrimeP().multiply(key.getPrimeQ()).equals(n)) {
      throw new KeyException(KeyException.Reason.INVALID, "RSA private key is inconsistent (p*q != n)");
    }
    this.key = key;
    this.publicKey = RsaPublicKey.fromModulus(n, key.getPublicExponent(), minBits);
  }

  public static RsaPrivateKey generate(int bits, SecureRandom random) {
    if (bits < RsaChecks.DEFAULT_MIN_BITS) {
      throw new KeyException(KeyException.Reason.WEAK, "new RSA keys need at least 2048 bits, asked for " + bits);
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
      return new RsaPrivateKey((RSAPrivateCrtKey) g.generateKeyPair().getPrivate(), RsaChecks.DEFAULT_MIN_BITS);
    } catch (GeneralSecurityException e) {
      throw new KeyException(KeyException.Reason.INVALID, "RSA key generation failed: " + e.getMessage());
    }
  }

  /** From {@code RSA PRIVATE KEY} (PKCS#1) or {@code PRIVATE KEY} (PKCS#8) PEM; 2048 bits at least. */
  public static RsaPrivateKey parse(String pemText) {
    return parse(pemText, RsaChecks.DEFAULT_MIN_BITS);
  }

  /** As {@link #parse(String)}, with a lower bound of {@code minBits} (never under 1024) for legacy keys. */
  public static RsaPrivateKey parse(String pemText, int minBits) {
    Pem pem = Pem.parse(pemText);
    RSAPrivateCrtKey k;
    try {
      switch (pem.label()) {
        case "RSA PRIVATE KEY": {
          var p = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(pem.der());
          var spec = new RSAPrivateCrtKeySpec(p.getModulus(), p.getPublicExponent(), p.getPrivateExponent(),
              p.getPrime1(), p.getPrime2(), p.getExponent1(), p.getExponent2(), p.getCoefficient());
          k = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(spec);
          break;
        }
        case "PRIVATE KEY": {
          var generic = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pem.der()));
          if (!(generic instanceof RSAPrivateCrtKey crt)) {
            throw new KeyException(KeyException.Reason.INVALID, "RSA private key lacks CRT parameters");
          }
          k = crt;
          break;
        }
        default:
          throw new KeyException(KeyException.Reason.WRONG_TYPE, "expected an RSA private key PEM, got " + pem.label());
      }
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
      if (e instanceof KeyException ke) {
        throw ke;
      }
      throw new KeyException(KeyException.Reason.ENCODING, "PEM does not hold a valid RSA private key");
    }
    return new RsaPrivateKey(k, minBits);
  }

  public RsaPublicKey publicKey() {
    return publicKey;
  }

  public int bits() {
    return publicKey.bits();
  }

  public String toPkcs1Pem() {
    try {
      var der = new org.bouncycastle.asn1.pkcs.RSAPrivateKey(key.getModulus(), key.getPublicExponent(),
          key.getPrivateExponent(), key.getPrimeP(), key.getPrimeQ(), key.getPrimeExponentP(),
          key.getPrimeExponentQ(), key.getCrtCoefficient()).getEncoded();
      return new Pem("RSA PRIVATE KEY", der).encode();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DER encoding of an RSA private key failed", e);
    }
  }

  public String toPkcs8Pem() {
    return new Pem("PRIVATE KEY", key.getEncoded()).encode();
  }

  public PublicKeySign signer(RsaDigest digest) {
    return data -> {
      try {
        Signature s = Signature.getInstance(digest.jdkName());
        s.initSign(key);
        s.update(data);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("RSA signing failed", e);
      }
    };
  }

  @Override
  public KeyAlgorithm algorithm() {
    return KeyAlgorithm.RSA;
  }

  @Override
  public String toString() {
    return "RsaPrivateKey[" + bits() + " bits]";
  }
}
