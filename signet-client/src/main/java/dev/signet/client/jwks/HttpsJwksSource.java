package dev.signet.client.jwks;

import dev.signet.jwks.JwkSet;
import dev.signet.jwks.JwksSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An issuer's {@code jwks_uri}, fetched with the JDK's HTTP client: HTTPS only (certificate and
 * host name checked), no redirects followed (a moved key set is a configuration change, not
 * something to follow silently), 5 s to answer, 200 with at most {@link JwkSet#MAX_BYTES} of body.
 */
public final class HttpsJwksSource implements JwksSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern MAX_AGE = Pattern.compile("(?i)(?:^|,)\\s*max-age\\s*=\\s*\"?([0-9]{1,10})\"?\\s*(?:,|$)");
  private static final Pattern NO_CACHE = Pattern.compile("(?i)(?:^|,)\\s*(no-store|no-cache)\\s*(?:,|$)");

  private final URI uri;
  private final HttpClient http;

  /** @param extraCas trusted besides the JVM's default CAs (empty: those only) */
  public HttpsJwksSource(URI uri, List<X509Certificate> extraCas) {
    if (!"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("jwks_uri must be https");
    }
    this.uri = uri;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(context(extraCas)).build();
  }

  @Override
  public Document fetch() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Accept", "application/jwk-set+json, application/json").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (IOException e) {
      throw new IOException("request to " + uri.getHost() + " failed (" + e.getClass().getSimpleName() + ")");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException(uri.getHost() + " answered " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(JwkSet.MAX_BYTES + 1);
      if (bytes.length > JwkSet.MAX_BYTES) {
        throw new IOException("the key set is larger than " + JwkSet.MAX_BYTES + " bytes");
      }
      return new Document(bytes, maxAge(response.headers().allValues("Cache-Control")));
    }
  }

  /**
   * The PEM certificates of an issuer's {@code ca_file}, trusted besides the JVM's CAs.
   *
   * @param setting names the file in errors
   * @throws IllegalArgumentException when it cannot be read or holds no PEM certificate
   */
  public static List<X509Certificate> caFile(Path file, String setting) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file);
    }
    try {
      List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
          .stream().map(X509Certificate.class::cast).toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(setting + ": no PEM certificate in " + file);
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(setting + ": " + file + " is not a PEM certificate (chain)");
    }
  }

  /** {@code max-age} of a {@code Cache-Control} header; {@code no-store}/{@code no-cache} count as 0. */
  static OptionalLong maxAge(List<String> cacheControl) {
    String all = String.join(",", cacheControl);
    if (NO_CACHE.matcher(all).find()) {
      return OptionalLong.of(0);
    }
    Matcher m = MAX_AGE.matcher(all);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  private static SSLContext context(List<X509Certificate> extraCas) {
    try {
      if (extraCas.isEmpty()) {
        return SSLContext.getDefault();
      }
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (javax.net.ssl.TrustManager tm : defaults.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jvm-" + store.size(), c);
          }
        }
      }
      for (X509Certificate ca : extraCas) {
        store.setCertificateEntry("extra-" + store.size(), ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS trust for the JWKS client", e);
    }
  }
}
