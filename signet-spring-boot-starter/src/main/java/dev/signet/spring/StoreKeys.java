package dev.signet.spring;

import dev.signet.keys.Ed25519Provider;
import dev.signet.store.JdbcStore;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.KeyResolver;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@code signet.keys-source=jdbc}: the sessions, OAuth authorizations and service keys a
 * {@code signet serve} deployment registers (its admin API, {@code signet admin}), read as the
 * server reads them: cached for {@code signet.keys-cache}, a store that cannot answer refused (503).
 * A separate class, so that signet-store is needed only by applications that choose it.
 */
final class StoreKeys {
  private StoreKeys() {}

  static KeyResolver over(DataSource dataSource, Clock clock, Duration cache, Ed25519Provider ed25519) {
    try {
      Class.forName("dev.signet.store.JdbcStore", false, StoreKeys.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("signet.keys-source=jdbc needs dev.signet:signet-store on the classpath");
    }
    return new StoreKeyResolver(JdbcStore.shared(dataSource), clock, cache, ed25519);
  }
}
