package dev.signet.store;

import java.util.Set;

/** The rows the store keeps. Keys are stored in their text form and parsed by the caller. */
public final class Records {
  private Records() {}

  /**
   * A bot session.
   *
   * @param algorithm {@code EdDSA} or {@code RS512}
   * @param scopes the granted scopes, or null for no restriction
   * @param pinKey the server's X25519 private key for this session's PINs, hex
   */
  public record Session(String sessionId, String userId, String algorithm, String publicKey, Set<String> scopes,
      String pinKey, long createdAt) {}

  /** A user as the admin API lists it: {@code sessions} is how many sessions it holds. */
  public record User(String userId, String name, long createdAt, int sessions) {}

  /**
   * A session as the admin API shows it: public facts only (never the session's PIN key).
   *
   * @param lastUsedAt when it last signed an accepted request (unix s, up to a minute late), or null
   */
  public record SessionInfo(String sessionId, String userId, String algorithm, String publicKey, Set<String> scopes,
      long createdAt, Long lastUsedAt) {}

  public record Authorization(String authorizationId, String appId, String userId, String publicKey, Set<String> scopes,
      long createdAt) {}

  /** A user's PIN: its hash, the last iterator accepted (unsigned), failures in a row, lock end (unix s). */
  public record PinState(String hash, long lastIterator, int failures, long lockedUntil) {}

  public record ServiceKey(String issuer, String kid, String publicKey, long createdAt) {}

  /** Who makes an admin change: the credential ({@code who}), the client's address, and when (unix s). */
  public record Actor(String who, String address, long at) {}

  /**
   * One admin change, as the audit log keeps it.
   *
   * @param action e.g. {@code session.delete}
   * @param target the id changed (user, session, authorization, issuer/kid)
   * @param detail public facts about it (the user a session is for, its algorithm and scopes), or null
   */
  public record AuditEntry(long id, long at, String actor, String address, String action, String target, String detail) {}
}
