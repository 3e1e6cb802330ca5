package dev.signet.server.tls;

import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ServerConfig;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the servers' certificate current: re-reads the files when asked (a timer, SIGHUP) and, when
 * they changed and are usable, puts them in service on every server; connections already open keep
 * the certificate they began with. Files that changed but cannot be used (a renewal half written, a
 * key that does not match) leave the current certificate in service, with one warning per change.
 */
public final class TlsReloader {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);
  private final TlsCredentials.Sources sources;
  private volatile TlsCredentials current;
  private String refused;

  public TlsReloader(TlsCredentials.Sources sources) throws TlsCredentials.TlsFileException {
    this.sources = sources;
    this.current = TlsCredentials.read(sources);
  }

  /**
   * The reloader for {@code tls.cert} and {@code tls.key} (and {@code admin.client_ca}), or null when
   * TLS is off; files that cannot be used stop the start, an expired certificate is one warning.
   */
  public static TlsReloader of(ServerConfig config, Clock clock) {
    if (!config.tls().enabled()) {
      return null;
    }
    try {
      TlsReloader reloader = new TlsReloader(new TlsCredentials.Sources(Path.of(config.tls().cert()), Path.of(config.tls().key()),
          config.admin().clientCertificates() ? Path.of(config.admin().clientCa()) : null));
      if (reloader.current().expired(clock.instant())) {
        LOG.warn("the TLS certificate has expired: {}; clients will refuse it", reloader.current().describe());
      }
      return reloader;
    } catch (TlsCredentials.TlsFileException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  public TlsCredentials current() {
    return current;
  }

  /** Blocking (file reads, then waits for the servers): call it off the event loop. Returns whether it reloaded. */
  public synchronized boolean reload(Collection<HttpServer> servers, String why) {
    TlsCredentials next;
    try {
      TlsCredentials.Contents contents = sources.read();
      String fingerprint = contents.fingerprint();
      if (fingerprint.equals(current.fingerprint()) || fingerprint.equals(refused)) {
        return false;
      }
      try {
        next = TlsCredentials.parse(sources, contents);
      } catch (TlsCredentials.TlsFileException e) {
        refused = fingerprint;
        throw e;
      }
    } catch (TlsCredentials.TlsFileException e) {
      LOG.warn("TLS files not reloaded ({}): {}; still serving {}", why, e.getMessage(), current.describe());
      return false;
    }
    try {
      for (HttpServer server : servers) {
        server.updateSSLOptions(next.options()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // Put back what the servers that took the new files had, so that all of them serve one certificate.
      servers.forEach(s -> s.updateSSLOptions(current.options()));
      LOG.warn("TLS files not reloaded ({}): the server refused them ({}); still serving {}", why,
          e.getClass().getSimpleName(), current.describe());
      return false;
    }
    current = next;
    refused = null;
    LOG.info("TLS certificate reloaded ({}): {}", why, next.describe());
    return true;
  }
}
