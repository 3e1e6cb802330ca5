package dev.signet.spring;

import dev.signet.client.jwks.HttpsJwksSource;
import dev.signet.jwks.JwksKeyResolver;
import dev.signet.jwks.RemoteJwks;
import dev.signet.keys.Ed25519Provider;
import dev.signet.verify.KeyResolver;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code signet.service-issuers}: one {@link RemoteJwks} per issuer, put in front of the application's
 * key resolver. Early refreshes run on one daemon thread of its own, stopped with the context; a
 * fetch that cannot wait (first use, unknown {@code kid}) runs on the request's thread, as the
 * Servlet model expects. Failed fetches are logged (never with key material).
 */
public final class ServiceIssuerKeys implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceIssuerKeys.class);

  private final Map<String, RemoteJwks> issuers;
  private final ExecutorService refresher;

  private ServiceIssuerKeys(Map<String, RemoteJwks> issuers, ExecutorService refresher) {
    this.issuers = issuers;
    this.refresher = refresher;
  }

  /** @throws IllegalStateException naming the setting when an entry is wrong */
  static ServiceIssuerKeys create(List<SignetProperties.ServiceIssuer> configured, Clock clock, Ed25519Provider ed25519) {
    if (configured.isEmpty()) {
      return new ServiceIssuerKeys(Map.of(), null);
    }
    ExecutorService refresher = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "signet-jwks-refresh");
      t.setDaemon(true);
      return t;
    });
    Map<String, RemoteJwks> out = new LinkedHashMap<>();
    try {
      for (int i = 0; i < configured.size(); i++) {
        SignetProperties.ServiceIssuer c = configured.get(i);
        String at = "signet.service-issuers[" + i + "]";
        if (c.issuer() == null || c.issuer().isBlank()) {
          throw new IllegalStateException(at + ".issuer is required");
        }
        if (out.containsKey(c.issuer())) {
          throw new IllegalStateException(at + ".issuer: " + c.issuer() + " is listed twice");
        }
        if (c.jwksUri() == null || !"https".equals(c.jwksUri().getScheme()) || c.jwksUri().getHost() == null) {
          throw new IllegalStateException(at + ".jwks-uri must be an https URL");
        }
        RemoteJwks.Timing timing;
        try {
          timing = new RemoteJwks.Timing(c.cache(), c.minRefresh(), c.maxStale());
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(at + ": " + e.getMessage() + " (cache, min-refresh, max-stale)");
        }
        HttpsJwksSource source = new HttpsJwksSource(c.jwksUri(), cas(at + ".ca-file", c.caFile()));
        String host = c.jwksUri().getHost();
        out.put(c.issuer(), new RemoteJwks(c.issuer(), source, clock, timing, refresher, ed25519, (issuer, ok, keys, detail) -> {
          if (!ok) {
            LOG.warn("Signet: JWKS of service issuer {} not fetched from {}: {}", issuer, host, detail);
          } else {
            LOG.debug("Signet: JWKS of service issuer {}: {} usable keys {}", issuer, keys, detail);
          }
        }));
      }
    } catch (RuntimeException e) {
      refresher.shutdownNow();
      throw e;
    }
    LOG.info("Signet: service keys also from the JWKS of {}", out.keySet());
    return new ServiceIssuerKeys(Map.copyOf(out), refresher);
  }

  /** {@code registered} with the issuers' sets in front, or {@code registered} itself when there are none. */
  KeyResolver over(KeyResolver registered) {
    return issuers.isEmpty() ? registered : new JwksKeyResolver(issuers, registered);
  }

  /** The issuers, for health and metrics of the application's own. */
  public Map<String, RemoteJwks> issuers() {
    return issuers;
  }

  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  private static List<X509Certificate> cas(String setting, String caFile) {
    if (caFile == null || caFile.isBlank()) {
      return List.of();
    }
    try {
      return HttpsJwksSource.caFile(Path.of(caFile), setting);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }
}
