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

  /**
   * Users whose name starts with {@code namePrefix} (null: every user), in user id order after
   * {@code afterUserId} (null: from the first), at most {@code limit}.
   */
  java.util.List<Records.User> users(String namePrefix, String afterUserId, int limit);

  Optional<Records.User> user(String userId);

  /**
   * Deletes a user with everything it holds (sessions, OAuth authorizations, PIN), in one
   * transaction; false if there was no such user.
   */
  boolean deleteUser(String userId);

  boolean createSession(Records.Session session);

  /** A user's sessions, oldest first. */
  java.util.List<Records.SessionInfo> sessions(String userId);

  /**
   * Records when sessions were last used (session id to unix s); a time is kept only when later
   * than the stored one, so nodes that write out of order never move it back.
   */
  void recordSessionUse(java.util.Map<String, Long> lastUsed);

  Optional<Records.Session> session(String sessionId);

  boolean deleteSession(String sessionId);

  boolean createAuthorization(Records.Authorization authorization);

  Optional<Records.Authorization> authorization(String authorizationId);

  boolean deleteAuthorization(String authorizationId);

  /**
   * Authorizations of {@code userId} and {@code appId} (each null: any), in id order after
   * {@code afterId} (null: from the first), at most {@code limit}.
   */
  java.util.List<Records.Authorization> authorizations(String userId, String appId, String afterId, int limit);

  boolean createServiceKey(Records.ServiceKey key);

  Optional<Records.ServiceKey> serviceKey(String issuer, String kid);

  boolean deleteServiceKey(String issuer, String kid);

  /** Service keys in (issuer, kid) order after the given pair (null issuer: from the first), at most {@code limit}. */
  java.util.List<Records.ServiceKey> serviceKeys(String afterIssuer, String afterKid, int limit);

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
   * Records that the single-use credential {@code id} was used, kept until {@code untilMs} (unix
   * ms): for uses a replay store that loses its marks (memory on a restart, Redis on a failover)
   * could not refuse by time alone. False if it was recorded already: a replay.
   */
  boolean recordClaim(String id, long untilMs);

  /** Whether {@code id} was recorded by {@link #recordClaim} and is kept still at {@code nowMs}. */
  boolean claimRecorded(String id, long nowMs);

  /** The recorded claims kept still at {@code nowMs}: id to until (unix ms). */
  java.util.Map<String, Long> liveClaims(long nowMs);

  /** Forgets the claims no longer kept at {@code nowMs}; returns how many. */
  int purgeClaims(long nowMs);

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
