package dev.signet.server.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The server's TLS material, read from PEM files and checked before it is used: a certificate
 * chain (leaf first), the leaf's private key (proved to match by a test signature) and, for client
 * certificates, the CA(s) to trust. Errors name the file and the problem, never the key's content.
 */
public record TlsCredentials(ServerSSLOptions options, String fingerprint, X509Certificate leaf) {
  /** TLS 1.2 and 1.3 only. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** Forward-secret AEAD suites only: TLS 1.3's three, and TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305. */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** A file that cannot be used; the message names it and why. */
  public static final class TlsFileException extends Exception {
    public TlsFileException(String message) {
      super(message);
    }
  }

  /** The files named by {@code tls.cert}, {@code tls.key} and {@code admin.client_ca} (null: none). */
  public record Sources(Path cert, Path key, Path clientCa) {
    /** The files' bytes, read once: both what is parsed and what tells whether they changed. */
    Contents read() throws TlsFileException {
      return new Contents(bytes(cert, "tls.cert"), bytes(key, "tls.key"), clientCa == null ? null : bytes(clientCa, "admin.client_ca"));
    }
  }

  /** The bytes of the three files (clientCa null: none). */
  record Contents(byte[] cert, byte[] key, byte[] clientCa) {
    /** SHA-256 over the three files' bytes: whether they changed, without parsing them. */
    String fingerprint() {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(cert);
        sha.update(key);
        if (clientCa != null) {
          sha.update(clientCa);
        }
        return HexFormat.of().formatHex(sha.digest());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }
  }

  public static TlsCredentials read(Sources files) throws TlsFileException {
    return parse(files, files.read());
  }

  /** Parses and checks {@code contents}, read from {@code files} (named in errors). */
  static TlsCredentials parse(Sources files, Contents contents) throws TlsFileException {
    List<X509Certificate> chain = certificates(contents.cert(), files.cert(), "tls.cert");
    PrivateKey key = privateKey(contents.key(), files.key());
    X509Certificate leaf = chain.get(0);
    if (!belongTogether(key, leaf)) {
      throw new TlsFileException("tls.key " + files.key() + " is not the key of the first certificate in tls.cert " + files.cert());
    }
    ServerSSLOptions options = new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(pem(chain)).setKeyValue(pkcs8Pem(key)))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    if (files.clientCa() != null) {
      PemTrustOptions trust = new PemTrustOptions();
      certificates(contents.clientCa(), files.clientCa(), "admin.client_ca").forEach(ca -> trust.addCertValue(pem(List.of(ca))));
      // REQUEST, not REQUIRED: only the admin API insists; a presented certificate is still validated.
      options.setTrustOptions(trust).setClientAuth(ClientAuth.REQUEST);
    }
    return new TlsCredentials(options, contents.fingerprint(), leaf);
  }

  /** The same settings on options for {@code createHttpServer}. */
  public HttpServerOptions applyTo(HttpServerOptions http) {
    http.setSsl(true).setKeyCertOptions(options.getKeyCertOptions())
        .setEnabledSecureTransportProtocols(options.getEnabledSecureTransportProtocols());
    options.getEnabledCipherSuites().forEach(http::addEnabledCipherSuite);
    if (options.getTrustOptions() != null) {
      http.setTrustOptions(options.getTrustOptions()).setClientAuth(options.getClientAuth());
    }
    return http;
  }

  public boolean expired(Instant now) {
    return now.isAfter(leaf.getNotAfter().toInstant());
  }

  /** Subject and validity of the leaf, for the log. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant();
  }

  private static byte[] bytes(Path file, String setting) throws TlsFileException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsFileException(setting + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The PEM certificates in {@code bytes} (read from {@code file}, named by {@code setting} in errors). */
  public static List<X509Certificate> certificates(byte[] bytes, Path file, String setting) throws TlsFileException {
    try {
      List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bytes)).stream()
          .map(X509Certificate.class::cast).toList();
      if (certs.isEmpty()) {
        throw new TlsFileException(setting + ": no PEM certificate in " + file);
      }
      return certs;
    } catch (GeneralSecurityException e) {
      throw new TlsFileException(setting + ": " + file + " is not a PEM certificate (chain)");
    }
  }

  private static PrivateKey privateKey(byte[] bytes, Path file) throws TlsFileException {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o; (o = parser.readObject()) != null; ) {
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new TlsFileException("tls.key: " + file + " is encrypted; give the key unencrypted (and protect the file)");
        }
        PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : o instanceof PrivateKeyInfo p ? p : null;
        if (info != null) {
          return new JcaPEMKeyConverter().getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsFileException("tls.key: " + file + " is not a PEM private key");
    }
    throw new TlsFileException("tls.key: no PEM private key in " + file);
  }

  /** Signs a fixed message with the key and verifies it with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, X509Certificate leaf) throws TlsFileException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new TlsFileException("tls.key: " + key.getAlgorithm() + " keys are not supported (RSA, EC or Ed25519)");
    };
    byte[] probe = "signet tls key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Buffer pem(List<X509Certificate> certs) {
    StringBuilder out = new StringBuilder();
    try {
      for (X509Certificate c : certs) {
        out.append(block("CERTIFICATE", c.getEncoded()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a parsed certificate cannot be encoded again", e);
    }
    return Buffer.buffer(out.toString());
  }

  /** Any key format read above, as the one form every TLS engine takes. */
  private static Buffer pkcs8Pem(PrivateKey key) {
    return Buffer.buffer(block("PRIVATE KEY", key.getEncoded()));
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
