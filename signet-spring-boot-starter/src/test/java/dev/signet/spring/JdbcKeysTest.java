package dev.signet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.JdbcStore;
import dev.signet.store.Records;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * {@code signet.keys-source=jdbc} against real PostgreSQL on loopback: the keys a {@code signet serve}
 * store holds (its schema made by the server's own migrations) verify tokens in a Spring application,
 * and a revoked session stops verifying once the cache lets go of it.
 */
class JdbcKeysTest {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  @Test
  void keysRegisteredInSignetServesStoreVerifyAndRevocationArrives() throws Exception {
    String schema = "signet_starter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    // The store as signet serve creates it (Flyway migrations), with one session registered.
    try (JdbcStore server = JdbcStore.postgres(URL, "postgres", "", schema)) {
      server.createUser(TestKeys.UID, "alice", 0);
      server.createSession(new Records.Session(TestKeys.SID, TestKeys.UID, "EdDSA", TestKeys.KEY.publicKey().toBase64Url(),
          null, "00".repeat(32), 0));
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SignetAutoConfiguration.class))
          .withPropertyValues("spring.datasource.url=" + URL + "?currentSchema=" + schema, "spring.datasource.username=postgres",
              "signet.keys-source=jdbc", "signet.keys-cache=0s")
          .run(ctx -> {
            assertThat(ctx).hasNotFailed();
            BearerAuthenticator auth = ctx.getBean(BearerAuthenticator.class);
            String first = "Bearer " + TestKeys.token("GET", "/a", null, "FULL");
            assertThat(auth.authenticate("GET", "/a", null, first).userId()).isEqualTo(TestKeys.UID);
            server.deleteSession(TestKeys.SID);
            try {
              auth.authenticate("GET", "/a", null, "Bearer " + TestKeys.token("GET", "/a", null, "FULL"));
              throw new AssertionError("a revoked session was accepted");
            } catch (VerificationException e) {
              assertThat(e.failure()).isEqualTo(Failure.UNKNOWN_KEY);
            }
          });
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(URL, "postgres", ""); java.sql.Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void withoutADataSourceTheStartSaysWhatIsMissing() {
    new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SignetAutoConfiguration.class))
        .withPropertyValues("signet.keys-source=jdbc")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("needs a DataSource"));
  }
}
