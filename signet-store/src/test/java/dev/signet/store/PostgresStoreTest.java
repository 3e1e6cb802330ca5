package dev.signet.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Against the real PostgreSQL on loopback ({@code .ci/run} starts it); each test in its own schema. */
class PostgresStoreTest extends StoreContract {
  static final String URL = System.getProperty("signet.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = System.getProperty("signet.test.pg.user", "postgres");

  String schema;
  Store store;

  @BeforeEach
  void open() {
    schema = "signet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    store = JdbcStore.postgres(URL, USER, "", schema);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Override
  Store store() {
    return store;
  }
}
