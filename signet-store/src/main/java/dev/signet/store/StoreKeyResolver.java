package dev.signet.store;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.VerificationException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys from the store, parsed once and cached: decoding an Ed25519 point or an RSA key per request
 * would cost as much as the verification. Only found keys are cached (unknown ids cannot fill the
 * cache); an admin change on this node invalidates the entry it touches, and every entry is
 * re-read after {@code ttl}, which bounds how long a revocation on another node takes to arrive.
 */
public final class StoreKeyResolver implements KeyResolver {
  private static final int MAX_CACHED = 100_000;

  private final Store store;
  private final Ed25519Provider ed25519;
  private final java.time.Clock clock;
  private final long ttlMillis;
  private final ConcurrentHashMap<KeyRef, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(RegisteredKey key, long loadedAtMillis) {}

  /** A key that {@link #cachedOnly()} does not hold: the caller checks again where it may block. */
  public static final class NotCached extends dev.signet.verify.WouldBlock {
    private NotCached() {
      super("key not cached");
    }
  }

  private static final NotCached NOT_CACHED = new NotCached();

  /** Keys verified by {@code ed25519} (RSA keys are unaffected). */
  public StoreKeyResolver(Store store, java.time.Clock clock, java.time.Duration ttl, Ed25519Provider ed25519) {
    this.ed25519 = ed25519;
    this.store = store;
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
  }

  /**
   * This resolver without its store: a fresh cached key, else {@link NotCached}. For event loops,
   * which must not wait for the store.
   */
  public KeyResolver cachedOnly() {
    return ref -> {
      Cached cached = cache.get(ref);
      if (cached == null || clock.millis() - cached.loadedAtMillis() >= ttlMillis) {
        throw NOT_CACHED;
      }
      return Optional.of(cached.key());
    };
  }

  @Override
  public Optional<RegisteredKey> resolve(KeyRef ref) throws VerificationException {
    long now = clock.millis();
    Cached cached = cache.get(ref);
    if (cached != null && now - cached.loadedAtMillis() < ttlMillis) {
      return Optional.of(cached.key());
    }
    Optional<RegisteredKey> found;
    try {
      found = load(ref);
    } catch (StoreException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "key store unavailable");
    }
    if (found.isEmpty()) {
      cache.remove(ref);
      return found;
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(ref, new Cached(found.get(), now));
    return found;
  }

  public void invalidate(KeyRef ref) {
    cache.remove(ref);
    if (ref.scheme() == dev.signet.verify.Scheme.MIXIN_BOT) {
      // The same session key, as HTTP message signatures name it (by its id alone).
      cache.remove(new KeyRef(dev.signet.verify.Scheme.HTTP_SIGNATURE, null, ref.keyId()));
    }
  }

  private Optional<RegisteredKey> load(KeyRef ref) {
    switch (ref.scheme()) {
      case MIXIN_BOT:
      case HTTP_SIGNATURE:  // a session's key, named by its id alone (keyid)
        return store.session(ref.keyId()).map(s -> new RegisteredKey(JwsKey.parse(JwsAlgorithm.valueOf(s.algorithm()), s.publicKey()).using(ed25519),
            s.userId(), s.userId(), s.scopes()));
      case MIXIN_OAUTH:
        return store.authorization(ref.keyId()).map(a -> new RegisteredKey(JwsKey.parse(JwsAlgorithm.EdDSA, a.publicKey()).using(ed25519),
            a.appId(), a.userId(), a.scopes()));
      case SERVICE:
        return store.serviceKey(ref.owner(), ref.keyId()).map(k -> new RegisteredKey(JwsKey.parse(JwsAlgorithm.RS256, k.publicKey()).using(ed25519),
            k.issuer(), null, null));
      default:
        return Optional.empty();
    }
  }
}
