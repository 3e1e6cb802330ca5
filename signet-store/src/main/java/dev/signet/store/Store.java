package dev.signet.store;

import java.util.Optional;

/**
 * Durable state: users, sessions, OAuth authorizations, service keys, PIN hashes, shared secrets. Every method may
 * throw {@link StoreException} when the store is unreachable. {@code create*} methods return false
 * when the id exists already; {@code delete*} false when there was nothing to delete.
 */
public interface Store extends AutoCloseable {
  boolean createUser(String userId, String name, long now);

  boolean userExists(String userId);

  boolean createSession(Records.Session session);

  Optional<Records.Session> session(String sessionId);

  boolean deleteSession(String sessionId);

  boolean createAuthorization(Records.Authorization authorization);

  Optional<Records.Authorization> authorization(String authorizationId);

  boolean deleteAuthorization(String authorizationId);

  boolean createServiceKey(Records.ServiceKey key);

  Optional<Records.ServiceKey> serviceKey(String issuer, String kid);

  boolean deleteServiceKey(String issuer, String kid);

  /** Sets (or replaces) a user's PIN hash and resets its failure count. */
  void setPinHash(String userId, String hash);

  Optional<Records.PinState> pinState(String userId);

  /**
   * Moves the user's PIN iterator to {@code iterator} if it is strictly greater (unsigned) than the
   * last one accepted, atomically; false if it is not (a replayed or old PIN block).
   */
  boolean advancePinIterator(String userId, long iterator);

  /** One more wrong PIN in a row; at {@code maxFailures} the user is locked until {@code lockUntil}. */
  void recordPinFailure(String userId, int maxFailures, long lockUntil);

  void resetPinFailures(String userId);

  /** A secret shared by every node (by name), if one was stored. */
  Optional<String> secret(String name);

  /** Stores a shared secret unless one of that name exists; false if one did (another node won). */
  boolean createSecret(String name, String secret, long now);

  /**
   * This store, with each change it makes (users, sessions, PINs, authorizations, service keys)
   * also written to the audit log as made by {@code actor}, in the change's own transaction: a
   * change that is not made (a duplicate, nothing to delete) writes no entry, and no entry is
   * written without its change. The view shares this store's connections; closing it closes nothing.
   */
  Store audited(Records.Actor actor);

  /** Audit entries with an id below {@code beforeId}, newest first, at most {@code limit}. */
  java.util.List<Records.AuditEntry> audit(long beforeId, int limit);

  /** Whether the store answers right now. */
  boolean healthy();

  @Override
  void close();
}
