package dev.signet.server.jwks;

import dev.signet.client.jwks.HttpsJwksSource;
import dev.signet.jwks.JwksKeyResolver;
import dev.signet.jwks.RemoteJwks;
import dev.signet.keys.Ed25519Provider;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ServerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.KeyResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured {@code service.issuers}: one {@link RemoteJwks} each, with
 * {@code signet_jwks_fetches_total{issuer,outcome}} and {@code signet_jwks_keys{issuer}}, a log line
 * for every failed fetch and for every change in the number of keys.
 */
public final class ServiceIssuers {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceIssuers.class);

  /** The keys tokens are verified with: registered ones and the issuers' JWKS; and a view of them that never waits. */
  public record VerifyKeys(KeyResolver keys, KeyResolver nonBlocking) {}

  private ServiceIssuers() {}

  /** {@code registered} alone when no issuer is configured, else with every issuer's JWKS (fetched on a worker). */
  public static VerifyKeys verifyKeys(StoreKeyResolver registered, ServerConfig.Service config, Clock clock, Vertx vertx,
      Ed25519Provider ed25519, MeterRegistry metrics) {
    Map<String, RemoteJwks> jwks = create(config, clock, task -> vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false), ed25519, metrics);
    if (jwks.isEmpty()) {
      return new VerifyKeys(registered, registered.cachedOnly());
    }
    JwksKeyResolver withJwks = new JwksKeyResolver(jwks, registered);
    return new VerifyKeys(withJwks, withJwks.nonBlocking(registered.cachedOnly()));
  }

  /** @throws ConfigException when a {@code ca_file} cannot be read */
  public static Map<String, RemoteJwks> create(ServerConfig.Service config, Clock clock, Executor background,
      Ed25519Provider ed25519, MeterRegistry metrics) {
    Map<String, RemoteJwks> out = new LinkedHashMap<>();
    config.issuers().forEach((iss, i) -> {
      HttpsJwksSource source = new HttpsJwksSource(URI.create(i.jwksUri()), cas(iss, i.caFile()));
      RemoteJwks.Timing timing = new RemoteJwks.Timing(Duration.ofSeconds(i.cacheSeconds()),
          Duration.ofSeconds(i.minRefreshSeconds()), Duration.ofSeconds(i.maxStaleSeconds()));
      Counter ok = fetches(metrics, iss, "ok");
      Counter failed = fetches(metrics, iss, "error");
      int[] lastCount = {-1};
      RemoteJwks jwks = new RemoteJwks(iss, source, clock, timing, background, ed25519, (issuer, success, keys, detail) -> {
        (success ? ok : failed).increment();
        if (!success) {
          LOG.warn("JWKS of service issuer {} not fetched from {}: {}", issuer, i.jwksUri(), detail);
        } else if (keys != lastCount[0]) {
          LOG.info("JWKS of service issuer {}: {} usable keys{}", issuer, keys, detail.isEmpty() ? "" : " (" + detail + ")");
        }
        if (success) {
          lastCount[0] = keys;
        }
      });
      Gauge.builder("signet.jwks.keys", jwks, RemoteJwks::size).description("usable keys in a service issuer's JWKS")
          .tag("issuer", iss).register(metrics);
      out.put(iss, jwks);
    });
    return out;
  }

  private static Counter fetches(MeterRegistry metrics, String issuer, String outcome) {
    return Counter.builder("signet.jwks.fetches").description("fetches of service issuers' JWKS by outcome")
        .tag("issuer", issuer).tag("outcome", outcome).register(metrics);
  }

  private static List<X509Certificate> cas(String issuer, String caFile) {
    if (caFile.isBlank()) {
      return List.of();
    }
    try {
      return HttpsJwksSource.caFile(Path.of(caFile), "service.issuers." + issuer + ".ca_file");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
