package dev.signet.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The store over JDBC, with one set of SQL for both databases. {@link #embedded(Path)} opens (or
 * creates) an H2 file in the data directory, whose file lock keeps a second server from opening it;
 * {@link #postgres} shares PostgreSQL between nodes. Flyway migrates the schema on every start.
 */
public final class JdbcStore implements Store {
  private final DataSource dataSource;
  private final AutoCloseable closer;
  /** Who the changes of this view are audited as; null: not audited (verification's own writes). */
  private final Records.Actor actor;

  private JdbcStore(DataSource dataSource, AutoCloseable closer) {
    this(dataSource, closer, (Records.Actor) null);
  }

  private JdbcStore(DataSource dataSource, AutoCloseable closer, Records.Actor actor) {
    this.dataSource = dataSource;
    this.closer = closer;
    this.actor = actor;
  }

  @Override
  public Store audited(Records.Actor actor) {
    return new JdbcStore(dataSource, () -> {}, java.util.Objects.requireNonNull(actor, "actor"));
  }

  @Override
  public java.util.List<Records.AuditEntry> audit(long beforeId, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, "SELECT id, at, actor, address, action, target, detail FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
            beforeId, limit);
        ResultSet rs = ps.executeQuery()) {
      java.util.List<Records.AuditEntry> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(new Records.AuditEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("store query failed", e);
    }
  }

  private JdbcStore(DataSource dataSource, AutoCloseable closer, String schema) {
    this(dataSource, closer);
    var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    if (schema != null) {
      flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
    flyway.load().migrate();
  }

  /**
   * PostgreSQL at {@code url} (jdbc:postgresql://...), tables in {@code schema} (created if
   * missing). The pool waits at most 2 s for a connection: past that a request fails closed (503).
   */
  public static JdbcStore postgres(String url, String user, String password, String schema) {
    com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setSchema(schema);
    hc.setMaximumPoolSize(16);
    hc.setConnectionTimeout(2000);
    hc.setValidationTimeout(1000);
    hc.setPoolName("signet-store");
    com.zaxxer.hikari.HikariDataSource ds;
    try {
      ds = new com.zaxxer.hikari.HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to PostgreSQL: " + rootMessage(e), e);
    }
    try {
      return new JdbcStore(ds, ds::close, schema);
    } catch (RuntimeException e) {
      ds.close();
      throw new StoreException("cannot migrate PostgreSQL schema " + schema + ": " + rootMessage(e), e);
    }
  }

  /**
   * The tables a {@code signet serve} deployment keeps, read through an application's own
   * {@code DataSource} (whose connections must see them: set the schema on the pool, e.g.
   * {@code currentSchema=signet} in a PostgreSQL URL). Nothing is migrated: the server owns the
   * schema. Closing this store leaves the data source open.
   */
  public static JdbcStore shared(DataSource dataSource) {
    return new JdbcStore(dataSource, () -> {});
  }

  public static JdbcStore embedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("signet") + ";DB_CLOSE_ON_EXIT=FALSE";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "signet", "");
    pool.setMaxConnections(16);
    try {
      return new JdbcStore(pool, pool::dispose, (String) null);
    } catch (RuntimeException e) {
      pool.dispose();
      throw new StoreException("cannot open the embedded database in " + dataDir + ": " + rootMessage(e), e);
    }
  }

  @Override
  public boolean createUser(String userId, String name, long now) {
    return change("user.create", userId, name == null ? null : "name=" + name,
        c -> insert(c, "INSERT INTO users (user_id, name, created_at) VALUES (?, ?, ?)", userId, name, now));
  }

  @Override
  public boolean userExists(String userId) {
    return query("SELECT 1 FROM users WHERE user_id = ?", rs -> true, userId).isPresent();
  }

  private static final String USER_COLUMNS =
      "SELECT u.user_id, u.name, u.created_at, (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.user_id) FROM users u ";

  private static Records.User user(ResultSet rs) throws SQLException {
    return new Records.User(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4));
  }

  @Override
  public java.util.List<Records.User> users(String namePrefix, String afterUserId, int limit) {
    StringBuilder sql = new StringBuilder(USER_COLUMNS).append("WHERE u.user_id > ?");
    java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of(afterUserId == null ? "" : afterUserId));
    if (namePrefix != null) {
      sql.append(" AND u.name LIKE ? ESCAPE '!'");
      args.add(namePrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    sql.append(" ORDER BY u.user_id LIMIT ?");
    args.add(limit);
    return list(sql.toString(), JdbcStore::user, args.toArray());
  }

  @Override
  public Optional<Records.User> user(String userId) {
    return query(USER_COLUMNS + "WHERE u.user_id = ?", JdbcStore::user, userId);
  }

  @Override
  public boolean deleteUser(String userId) {
    // Children first (foreign keys); the user row decides whether anything was deleted.
    return change("user.delete", userId, null, c -> {
      update(c, "DELETE FROM sessions WHERE user_id = ?", userId);
      update(c, "DELETE FROM oauth_authorizations WHERE user_id = ?", userId);
      update(c, "DELETE FROM pins WHERE user_id = ?", userId);
      return update(c, "DELETE FROM users WHERE user_id = ?", userId) > 0;
    });
  }

  @Override
  public java.util.List<Records.SessionInfo> sessions(String userId) {
    return list("SELECT session_id, user_id, algorithm, public_key, scopes, created_at, last_used_at FROM sessions "
        + "WHERE user_id = ? ORDER BY created_at, session_id",
        rs -> new Records.SessionInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), splitScopes(rs.getString(5)),
            rs.getLong(6), rs.getObject(7) == null ? null : rs.getLong(7)), userId);
  }

  @Override
  public void recordSessionUse(java.util.Map<String, Long> lastUsed) {
    if (lastUsed.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE sessions SET last_used_at = ? WHERE session_id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
      for (var e : lastUsed.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setString(2, e.getKey());
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("store update failed", e);
    }
  }

  @Override
  public boolean createSession(Records.Session s) {
    return change("session.create", s.sessionId(), "user=" + s.userId() + " algorithm=" + s.algorithm() + " scopes=" + auditScopes(s.scopes()),
        c -> insert(c, "INSERT INTO sessions (session_id, user_id, algorithm, public_key, scopes, pin_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            s.sessionId(), s.userId(), s.algorithm(), s.publicKey(), joinScopes(s.scopes()), s.pinKey(), s.createdAt()));
  }

  @Override
  public Optional<Records.Session> session(String sessionId) {
    return query("SELECT session_id, user_id, algorithm, public_key, scopes, pin_key, created_at FROM sessions WHERE session_id = ?",
        rs -> new Records.Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), splitScopes(rs.getString(5)),
            rs.getString(6), rs.getLong(7)), sessionId);
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return change("session.delete", sessionId, null, c -> update(c, "DELETE FROM sessions WHERE session_id = ?", sessionId) > 0);
  }

  @Override
  public boolean createAuthorization(Records.Authorization a) {
    return change("oauth_authorization.create", a.authorizationId(), "app=" + a.appId() + " user=" + a.userId() + " scopes=" + auditScopes(a.scopes()),
        c -> insert(c, "INSERT INTO oauth_authorizations (authorization_id, app_id, user_id, public_key, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            a.authorizationId(), a.appId(), a.userId(), a.publicKey(), joinScopes(a.scopes()), a.createdAt()));
  }

  @Override
  public Optional<Records.Authorization> authorization(String authorizationId) {
    return query("SELECT authorization_id, app_id, user_id, public_key, scopes, created_at FROM oauth_authorizations WHERE authorization_id = ?",
        rs -> new Records.Authorization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), splitScopes(rs.getString(5)),
            rs.getLong(6)), authorizationId);
  }

  @Override
  public boolean deleteAuthorization(String authorizationId) {
    return change("oauth_authorization.delete", authorizationId, null,
        c -> update(c, "DELETE FROM oauth_authorizations WHERE authorization_id = ?", authorizationId) > 0);
  }

  @Override
  public java.util.List<Records.Authorization> authorizations(String userId, String appId, String afterId, int limit) {
    StringBuilder sql = new StringBuilder(
        "SELECT authorization_id, app_id, user_id, public_key, scopes, created_at FROM oauth_authorizations WHERE authorization_id > ?");
    java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of(afterId == null ? "" : afterId));
    if (userId != null) {
      sql.append(" AND user_id = ?");
      args.add(userId);
    }
    if (appId != null) {
      sql.append(" AND app_id = ?");
      args.add(appId);
    }
    sql.append(" ORDER BY authorization_id LIMIT ?");
    args.add(limit);
    return list(sql.toString(), rs -> new Records.Authorization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        splitScopes(rs.getString(5)), rs.getLong(6)), args.toArray());
  }

  @Override
  public java.util.List<Records.ServiceKey> serviceKeys(String afterIssuer, String afterKid, int limit) {
    String i = afterIssuer == null ? "" : afterIssuer;
    String k = afterIssuer == null ? "" : afterKid;
    return list("SELECT issuer, kid, public_key, created_at FROM service_keys WHERE issuer > ? OR (issuer = ? AND kid > ?) "
        + "ORDER BY issuer, kid LIMIT ?",
        rs -> new Records.ServiceKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), i, i, k, limit);
  }

  @Override
  public boolean createServiceKey(Records.ServiceKey k) {
    return change("service_key.create", k.issuer() + "/" + k.kid(), null,
        c -> insert(c, "INSERT INTO service_keys (issuer, kid, public_key, created_at) VALUES (?, ?, ?, ?)",
            k.issuer(), k.kid(), k.publicKey(), k.createdAt()));
  }

  @Override
  public Optional<Records.ServiceKey> serviceKey(String issuer, String kid) {
    return query("SELECT issuer, kid, public_key, created_at FROM service_keys WHERE issuer = ? AND kid = ?",
        rs -> new Records.ServiceKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), issuer, kid);
  }

  @Override
  public boolean deleteServiceKey(String issuer, String kid) {
    return change("service_key.delete", issuer + "/" + kid, null,
        c -> update(c, "DELETE FROM service_keys WHERE issuer = ? AND kid = ?", issuer, kid) > 0);
  }

  @Override
  public void setPinHash(String userId, String hash) {
    // The audit entry names the user only: never the PIN, nor its hash.
    change("pin.set", userId, null, c -> update(c, "UPDATE pins SET pin_hash = ?, failures = 0, locked_until = 0 WHERE user_id = ?", hash, userId) > 0
        || insert(c, "INSERT INTO pins (user_id, pin_hash) VALUES (?, ?)", userId, hash));
  }

  @Override
  public Optional<Records.PinState> pinState(String userId) {
    return query("SELECT pin_hash, last_iterator, failures, locked_until FROM pins WHERE user_id = ?",
        rs -> new Records.PinState(rs.getString(1), Long.parseUnsignedLong(rs.getBigDecimal(2).toBigIntegerExact().toString()),
            rs.getInt(3), rs.getLong(4)), userId);
  }

  @Override
  public boolean advancePinIterator(String userId, long iterator) {
    java.math.BigDecimal it = new java.math.BigDecimal(Long.toUnsignedString(iterator));
    // One conditional UPDATE: of two requests racing with the same iterator, one row count is 1.
    return update("UPDATE pins SET last_iterator = ? WHERE user_id = ? AND last_iterator < ?", it, userId, it) == 1;
  }

  @Override
  public void recordPinFailure(String userId, int maxFailures, long lockUntil) {
    update("UPDATE pins SET failures = failures + 1, "
        + "locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END WHERE user_id = ?", maxFailures, lockUntil, userId);
  }

  @Override
  public void resetPinFailures(String userId) {
    update("UPDATE pins SET failures = 0, locked_until = 0 WHERE user_id = ?", userId);
  }

  @Override
  public Optional<String> secret(String name) {
    return query("SELECT secret FROM secrets WHERE name = ?", rs -> rs.getString(1), name);
  }

  @Override
  public boolean createSecret(String name, String secret, long now) {
    return insert("INSERT INTO secrets (name, secret, created_at) VALUES (?, ?, ?)", name, secret, now);
  }

  @Override
  public boolean recordClaim(String id, long untilMs) {
    return insert("INSERT INTO durable_claims (id, until_ms) VALUES (?, ?)", id, untilMs);
  }

  @Override
  public boolean claimRecorded(String id, long nowMs) {
    return query("SELECT 1 FROM durable_claims WHERE id = ? AND until_ms > ?", rs -> true, id, nowMs).isPresent();
  }

  @Override
  public java.util.Map<String, Long> liveClaims(long nowMs) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    list("SELECT id, until_ms FROM durable_claims WHERE until_ms > ?", rs -> java.util.Map.entry(rs.getString(1), rs.getLong(2)), nowMs)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public int purgeClaims(long nowMs) {
    return update("DELETE FROM durable_claims WHERE until_ms <= ?", nowMs);
  }

  @Override
  public boolean healthy() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      closer.close();
    } catch (Exception e) {
      throw new StoreException("closing the store failed", e);
    }
  }

  // ---- JDBC plumbing ----

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> Optional<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
    } catch (SQLException e) {
      throw new StoreException("store query failed", e);
    }
  }

  private <T> java.util.List<T> list(String sql, Row<T> row, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      java.util.List<T> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(row.read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("store query failed", e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new StoreException("store update failed", e);
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  private boolean insert(String sql, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return insert(c, sql, args);
    } catch (SQLException e) {
      throw new StoreException("store insert failed", e);
    }
  }

  /** False when a unique or foreign key refuses the row (the caller says which). */
  private static boolean insert(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      ps.executeUpdate();
      return true;
    } catch (SQLIntegrityConstraintViolationException e) {
      return false;
    } catch (SQLException e) {
      // H2 and PostgreSQL report integrity violations as SQLSTATE class 23.
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false;
      }
      throw e;
    }
  }

  @FunctionalInterface
  private interface Change {
    /** True if it changed something. */
    boolean apply(Connection c) throws SQLException;
  }

  /**
   * Runs an admin change; on an audited view, in one transaction with its audit entry, which is
   * written only when the change changed something (a refused or empty change is rolled back whole).
   */
  private boolean change(String action, String target, String detail, Change change) {
    try (Connection c = dataSource.getConnection()) {
      if (actor == null) {
        return change.apply(c);
      }
      c.setAutoCommit(false);
      try {
        boolean changed = change.apply(c);
        if (changed) {
          update(c, "INSERT INTO audit (at, actor, address, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
              actor.at(), actor.who(), actor.address(), action, target, detail);
          c.commit();
        } else {
          c.rollback();
        }
        return changed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("store change failed", e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  private static String joinScopes(Set<String> scopes) {
    return scopes == null ? null : String.join(" ", scopes);
  }

  private static String auditScopes(Set<String> scopes) {
    return scopes == null ? "any" : String.join(",", scopes);
  }

  private static Set<String> splitScopes(String s) {
    if (s == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>(Arrays.asList(s.split(" ")));
    out.remove("");
    return out;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).lines().findFirst().orElse("");
  }
}
