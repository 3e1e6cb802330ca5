package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.Certificates;
import dev.signet.server.testing.Certificates.Issued;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on signet serve's port: certificates made here, called with the JDK's client, curl and raw sockets. */
class TlsTest {
  static final String ADMIN = "tls-test-admin-token-0123456789";

  @TempDir
  Path dir;
  Issued ca;
  Path cert;
  Path key;
  SignetServer server;

  @BeforeEach
  void certificates() throws Exception {
    ca = Certificates.authority("CN=Signet Test CA");
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    Certificates.leaf("CN=first", ca).write(cert, key);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  SignetServer start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_PORT", "0", "SIGNET_HOST", "127.0.0.1",
        "SIGNET_DATA_DIR", dir.resolve("data").toString(), "SIGNET_TLS_CERT", cert.toString(), "SIGNET_TLS_KEY", key.toString()));
    env.putAll(extra);
    return SignetServer.start(ConfigLoader.load(null, env), Clock.systemUTC(), ADMIN);
  }

  String base() {
    return "https://127.0.0.1:" + server.port();
  }

  HttpResponse<String> get(SSLContext tls, String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    // A new client per call: a new connection, so that each call sees the certificate in service now.
    return HttpClient.newBuilder().sslContext(tls).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String servedSubject() throws Exception {
    HttpResponse<String> r = get(Certificates.trusting(ca, "TLS"), "/healthz", null);
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  @Test
  void servesHttpsWithTheChainAndAModernProtocolOnly() throws Exception {
    assertThat(Files.readString(key)).as("the key as openssl writes an EC key").startsWith("-----BEGIN EC PRIVATE KEY-----");
    server = start(Map.of());
    HttpResponse<String> r = get(Certificates.trusting(ca, "TLS"), "/healthz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(r.sslSession().orElseThrow().getPeerCertificates()).as("leaf and CA").hasSize(2);
    // TLS 1.2 is served with an AEAD suite...
    try (SSLSocket s = socket("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
    // ...but not with CBC, which the JDK client would still offer.
    try (SSLSocket s = socket("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")) {
      assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
    }
  }

  SSLSocket socket(String protocol, String suite) throws Exception {
    SSLSocket s = (SSLSocket) Certificates.trusting(ca, "TLS").getSocketFactory().createSocket("127.0.0.1", server.port());
    s.setSoTimeout(5000);
    s.setEnabledProtocols(new String[] {protocol});
    s.setEnabledCipherSuites(new String[] {suite});
    return s;
  }

  @Test
  void curlWithTheCaFileGetsAnAnswer() throws Exception {
    assumeTrue(new File("/usr/bin/curl").canExecute(), "curl is not installed: skipped (apt-get install curl)");
    server = start(Map.of());
    Path caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, Certificates.pem(ca.certificate()));
    Process curl = new ProcessBuilder("curl", "-sS", "--cacert", caFile.toString(), base() + "/healthz").redirectErrorStream(true).start();
    assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.exitValue()).as(out).isZero();
    assertThat(out).contains("\"status\":\"ok\"");
    // Without the CA, curl refuses the certificate (exit 60): the server is not trusted by accident.
    Process untrusted = new ProcessBuilder("curl", "-sS", base() + "/healthz").redirectErrorStream(true).start();
    assertThat(untrusted.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(untrusted.exitValue()).isEqualTo(60);
  }

  @Test
  void plainHttpToTheTlsPortIsClosedWithoutAnAnswer() throws Exception {
    server = start(Map.of());
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(4096);
      assertThat(new String(reply, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1").doesNotContain("status");
    } catch (java.net.SocketException reset) {
      // A reset is as clean a refusal as a close.
    }
    assertThat(get(Certificates.trusting(ca, "TLS"), "/healthz", null).statusCode()).as("still serving TLS").isEqualTo(200);
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestartAndABrokenOneIsNot() throws Exception {
    server = start(Map.of("SIGNET_TLS_RELOAD_SECONDS", "0"));
    assertThat(servedSubject()).isEqualTo("CN=first");
    // Renewal in place, as certbot does, with the key as PKCS#8 this time; then SIGHUP (reloadTls).
    Issued second = Certificates.leaf("CN=second", ca);
    second.write(cert, key);
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(second.keys().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    server.reloadTls();
    assertThat(servedSubject()).isEqualTo("CN=second");
    // An RSA certificate with its key as PKCS#1.
    Certificates.rsaLeaf("CN=rsa", ca).write(cert, key);
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    server.reloadTls();
    assertThat(servedSubject()).isEqualTo("CN=rsa");
    // Half a renewal (a new certificate, the old key): refused, the current one stays in service.
    Issued third = Certificates.leaf("CN=third", ca);
    Files.writeString(cert, Certificates.pem(third.certificate()));
    server.reloadTls();
    assertThat(servedSubject()).isEqualTo("CN=rsa");
    // Garbage in the key file: the same.
    Files.writeString(key, "not a key");
    server.reloadTls();
    assertThat(servedSubject()).isEqualTo("CN=rsa");
  }

  @Test
  void changedFilesAreReloadedOnTheirOwn() throws Exception {
    server = start(Map.of("SIGNET_TLS_RELOAD_SECONDS", "1"));
    assertThat(servedSubject()).isEqualTo("CN=first");
    Certificates.leaf("CN=renewed", ca).write(cert, key);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String subject = servedSubject();
    while (!subject.equals("CN=renewed") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      subject = servedSubject();
    }
    assertThat(subject).isEqualTo("CN=renewed");
  }

  @Test
  void unusableFilesStopTheStartNamingTheFileNotItsContent() throws Exception {
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> start(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.key").hasMessageContaining(key.toString()).hasMessageNotContaining("c2VjcmV0");
    Certificates.leaf("CN=other", ca).write(dir.resolve("other.pem"), key);
    assertThatThrownBy(() -> start(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not the key of the first certificate");
    assertThatThrownBy(() -> start(Map.of("SIGNET_TLS_CERT", dir.resolve("missing.pem").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tls.cert: cannot read");
    assertThatThrownBy(() -> start(Map.of("SIGNET_TLS_KEY", ""))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.cert and tls.key must be set together");
  }

  @Test
  void theAdminApiCanRequireAClientCertificateFromItsCa() throws Exception {
    Issued clientCa = Certificates.authority("CN=Signet Admin CA");
    Path caFile = dir.resolve("admin-ca.pem");
    Files.writeString(caFile, Certificates.pem(clientCa.certificate()));
    server = start(Map.of("SIGNET_ADMIN_CLIENT_CA", caFile.toString()));
    SSLContext anonymous = Certificates.trusting(ca, "TLS");
    SSLContext operator = Certificates.leaf("CN=operator", clientCa).clientContext(ca);
    // Verification needs no client certificate; the admin API does, besides its token.
    assertThat(get(anonymous, "/healthz", null).statusCode()).isEqualTo(200);
    HttpResponse<String> noCert = get(anonymous, "/admin/service-keys/none/none", ADMIN);
    assertThat(noCert.statusCode()).isEqualTo(401);
    assertThat(noCert.body()).contains("admin client certificate required");
    HttpRequest create = HttpRequest.newBuilder(URI.create(base() + "/admin/users")).header("Authorization", "Bearer " + ADMIN)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    assertThat(HttpClient.newBuilder().sslContext(operator).build().send(create, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    HttpResponse<String> certNoToken = HttpClient.newBuilder().sslContext(operator).build().send(
        HttpRequest.newBuilder(URI.create(base() + "/admin/users")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(certNoToken.statusCode()).as("the certificate adds to the token, it does not replace it").isEqualTo(401);
    // A certificate from another CA does not get through the handshake.
    SSLContext stranger = Certificates.leaf("CN=stranger", Certificates.authority("CN=Elsewhere")).clientContext(ca);
    assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(stranger).build().send(create, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void clientCertificatesNeedTls() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_ADMIN_CLIENT_CA", "/x.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.client_ca needs tls.cert");
  }
}
