package dev.signet.verify;

import dev.signet.jwt.JwsKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A fixed set of registered keys, for applications that list their clients' keys in configuration
 * rather than keep them in a store. Immutable; build it with {@link #builder()}.
 */
public final class KeyRegistry implements KeyResolver {
  private final Map<KeyRef, RegisteredKey> keys;

  private KeyRegistry(Map<KeyRef, RegisteredKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keys registered (a bot session counts once, though tokens and signatures name it differently). */
  public int size() {
    return (int) keys.keySet().stream().filter(r -> r.scheme() != Scheme.HTTP_SIGNATURE).count();
  }

  @Override
  public Optional<RegisteredKey> resolve(KeyRef ref) {
    return Optional.ofNullable(keys.get(ref));
  }

  /** Adds keys by scheme; an identifier that is not what its scheme requires, or a duplicate, is refused. */
  public static final class Builder {
    private final Map<KeyRef, RegisteredKey> keys = new HashMap<>();

    private Builder() {}

    /**
     * A bot session's key: tokens with {@code uid = userId}, {@code sid = sessionId}, and RFC 9421
     * signatures with {@code keyid = sessionId}. Scopes null: no restriction.
     */
    public Builder bot(String userId, String sessionId, JwsKey key, Set<String> scopes) {
      requireUuid(userId, "user id");
      requireUuid(sessionId, "session id");
      RegisteredKey registered = new RegisteredKey(key, userId, userId, scopes);
      add(new KeyRef(Scheme.HTTP_SIGNATURE, null, sessionId), registered);
      return add(new KeyRef(Scheme.MIXIN_BOT, userId, sessionId), registered);
    }

    /** An OAuth authorization's key: tokens with {@code iss = appId}, {@code aid = authorizationId}, acting for {@code userId}. */
    public Builder oauth(String appId, String authorizationId, String userId, JwsKey key, Set<String> scopes) {
      requireUuid(appId, "app id");
      requireUuid(authorizationId, "authorization id");
      requireUuid(userId, "user id");
      return add(new KeyRef(Scheme.MIXIN_OAUTH, appId, authorizationId), new RegisteredKey(key, appId, userId, scopes));
    }

    /** A service issuer's key: tokens with {@code iss = issuer} and {@code kid}. */
    public Builder service(String issuer, String kid, JwsKey key) {
      requireText(issuer, "issuer");
      requireText(kid, "kid");
      return add(new KeyRef(Scheme.SERVICE, issuer, kid), new RegisteredKey(key, issuer, null, null));
    }

    private Builder add(KeyRef ref, RegisteredKey key) {
      if (keys.putIfAbsent(ref, Objects.requireNonNull(key)) != null) {
        throw new IllegalArgumentException("a " + ref.scheme().wireName() + " key for "
            + (ref.owner() == null ? "" : ref.owner() + " / ") + ref.keyId() + " is listed twice");
      }
      return this;
    }

    public KeyRegistry build() {
      return new KeyRegistry(keys);
    }

    private static void requireUuid(String v, String what) {
      if (!TokenChecks.isUuid(v)) {
        throw new IllegalArgumentException(what + " must be a UUID, got " + (v == null ? "nothing" : "'" + v + "'"));
      }
    }

    private static void requireText(String v, String what) {
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(what + " is required");
      }
    }
  }
}
