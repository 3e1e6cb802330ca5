package dev.signet.server.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made on the spot (BouncyCastle's bcpkix): a CA, and leaves it signs, as PEM files. */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair with its certificate and the chain above it (leaf first). */
  public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate... chain) {
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }

    /** Writes the chain (leaf first) and the private key, as the {@code tls.cert} and {@code tls.key} files. */
    public void write(Path cert, Path key) throws Exception {
      StringWriter certs = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(certs)) {
        w.writeObject(certificate);
        for (X509Certificate c : chain) {
          w.writeObject(c);
        }
      }
      Files.writeString(cert, certs.toString());
      Files.writeString(key, keys.getPrivate().getAlgorithm().equals("EC") ? sec1(keys.getPrivate()) : pem(keys.getPrivate()));
    }

    /** The JDK's TLS client context presenting this certificate and trusting {@code trusted}. */
    public SSLContext clientContext(Issued trusted) throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      X509Certificate[] all = new X509Certificate[chain.length + 1];
      all[0] = certificate;
      System.arraycopy(chain, 0, all, 1, chain.length);
      ks.setKeyEntry("client", keys.getPrivate(), "pw".toCharArray(), all);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, "pw".toCharArray());
      javax.net.ssl.X509KeyManager chosen = (javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0];
      // Presents this certificate whatever CAs the server names (the JDK client would otherwise
      // send none that the server does not ask for): to test what the server does with a stranger's.
      javax.net.ssl.X509KeyManager always = new javax.net.ssl.X509ExtendedKeyManager() {
        @Override public String[] getClientAliases(String type, java.security.Principal[] issuers) {
          return new String[] {"client"};
        }
        @Override public String chooseClientAlias(String[] type, java.security.Principal[] issuers, java.net.Socket s) {
          return "client";
        }
        @Override public String chooseEngineClientAlias(String[] type, java.security.Principal[] issuers, javax.net.ssl.SSLEngine e) {
          return "client";
        }
        @Override public String[] getServerAliases(String type, java.security.Principal[] issuers) {
          return null;
        }
        @Override public String chooseServerAlias(String type, java.security.Principal[] issuers, java.net.Socket s) {
          return null;
        }
        @Override public X509Certificate[] getCertificateChain(String alias) {
          return chosen.getCertificateChain(alias);
        }
        @Override public java.security.PrivateKey getPrivateKey(String alias) {
          return chosen.getPrivateKey(alias);
        }
      };
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new javax.net.ssl.KeyManager[] {always}, trusting(trusted).getTrustManagers(), RANDOM);
      return ctx;
    }
  }

  private Certificates() {}

  public static Issued authority(String name) throws Exception {
    KeyPair keys = ecKeys();
    return new Issued(keys, build(name, keys, name, keys.getPrivate(), true));
  }

  /** A leaf for 127.0.0.1 and localhost (EC P-256), signed by {@code ca}, valid from an hour ago for {@code validity}. */
  public static Issued leaf(String name, Issued ca, Duration validity) throws Exception {
    KeyPair keys = ecKeys();
    return new Issued(keys, build(name, keys, ca.subject(), ca.keys().getPrivate(), false, validity), ca.certificate());
  }

  public static Issued leaf(String name, Issued ca) throws Exception {
    return leaf(name, ca, Duration.ofDays(30));
  }

  /** The JDK's TLS client context trusting {@code ca}'s certificates. */
  public static SSLContext trusting(Issued ca, String protocol) throws Exception {
    SSLContext ctx = SSLContext.getInstance(protocol);
    ctx.init(null, trusting(ca).getTrustManagers(), RANDOM);
    return ctx;
  }

  /**
   * An EC key as {@code openssl ecparam -genkey} writes it: SEC1 with the curve inside (BouncyCastle's
   * writer leaves the curve out when it converts the JDK's PKCS#8 encoding, which nothing can read).
   */
  static String sec1(java.security.PrivateKey key) throws Exception {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    org.bouncycastle.asn1.sec.ECPrivateKey full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
        info.getPrivateKeyAlgorithm().getParameters());
    return "-----BEGIN EC PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(full.getEncoded())
        + "\n-----END EC PRIVATE KEY-----\n";
  }

  /** A leaf with an RSA 2048 key (written as PKCS#1), signed by {@code ca}. */
  public static Issued rsaLeaf(String name, Issued ca) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    KeyPair keys = g.generateKeyPair();
    return new Issued(keys, build(name, keys, ca.subject(), ca.keys().getPrivate(), false), ca.certificate());
  }

  public static String pem(Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  private static TrustManagerFactory trusting(Issued ca) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    return tmf;
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate build(String subject, KeyPair keys, String issuer, java.security.PrivateKey signer, boolean ca)
      throws Exception {
    return build(subject, keys, issuer, signer, ca, Duration.ofDays(30));
  }

  private static X509Certificate build(String subject, KeyPair keys, String issuer, java.security.PrivateKey signer, boolean ca,
      Duration validity) throws Exception {
    Instant from = Instant.now().minus(Duration.ofHours(1));
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer), new BigInteger(64, RANDOM),
        Date.from(from), Date.from(from.plus(validity)), new X500Name(subject), keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!ca) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
          new GeneralName(GeneralName.dNSName, "localhost")}));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }
}
