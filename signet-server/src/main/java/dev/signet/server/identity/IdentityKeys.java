package dev.signet.server.identity;

import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment's identity-token keys, rotated by period and shared by every node through the
 * store. Time is cut into periods of {@code rotation}; period {@code k}'s key signs during period
 * {@code k}. It is created (by whichever node comes first) and published from the start of period
 * {@code k - 1}, so that every cached JWKS knows it before it signs, and it stays published through
 * period {@code k + 1}, past the expiry of the last token it signed (tokens live less than a period).
 */
public final class IdentityKeys {
  static final String SECRET_PREFIX = "identity_key_";

  /** One period's key. */
  public record Key(long period, Ed25519PrivateKey key, String kid) {}

  private record Snapshot(long period, Key signing, List<Map<String, Object>> published) {}

  private final Store store;
  private final Clock clock;
  private final long rotationSeconds;
  private final SecureRandom random;
  private final Ed25519Provider ed25519;
  private volatile Snapshot snapshot;

  public IdentityKeys(Store store, Clock clock, Duration rotation, SecureRandom random, Ed25519Provider ed25519) {
    this.store = store;
    this.clock = clock;
    this.rotationSeconds = rotation.getSeconds();
    this.random = random;
    this.ed25519 = ed25519;
    refresh();
  }

  long periodAt(long epochSecond) {
    return Math.floorDiv(epochSecond, rotationSeconds);
  }

  /**
   * Reads (creating where missing) the keys of the previous, current and next periods. Blocking:
   * call it at start and from a worker thread; a store that cannot answer keeps the last snapshot.
   */
  public void refresh() {
    long k = periodAt(clock.instant().getEpochSecond());
    Snapshot s = snapshot;
    if (s != null && s.period() == k) {
      return;
    }
    List<Map<String, Object>> published = new ArrayList<>();
    Optional<Key> previous = read(k - 1);
    Key current = readOrCreate(k);
    Key next = readOrCreate(k + 1);
    previous.ifPresent(p -> published.add(Jwk.signingKey(p.key().publicKey())));
    published.add(Jwk.signingKey(current.key().publicKey()));
    published.add(Jwk.signingKey(next.key().publicKey()));
    snapshot = new Snapshot(k, current, List.copyOf(published));
  }

  /** Whether the clock has moved into a period this node has not loaded yet (then {@link #refresh}). */
  public boolean stale() {
    return snapshot.period() != periodAt(clock.instant().getEpochSecond());
  }

  /**
   * The key to sign with now. Right after a period boundary, until {@link #refresh} has run, the
   * previous period's key signs on: it is still published, so its tokens still verify.
   */
  public Key signing() {
    return snapshot.signing();
  }

  /** The JWK set's {@code keys}: previous (if any), current and next period's public keys. */
  public List<Map<String, Object>> published() {
    return snapshot.published();
  }

  private Optional<Key> read(long period) {
    return store.secret(SECRET_PREFIX + period).map(pem -> key(period, pem));
  }

  private Key readOrCreate(long period) {
    return read(period).orElseGet(() -> {
      // Insert-if-absent: of nodes racing here, one key wins and all read it back.
      store.createSecret(SECRET_PREFIX + period, Ed25519PrivateKey.generate(random).toPkcs8Pem(), clock.instant().getEpochSecond());
      return read(period).orElseThrow();
    });
  }

  private Key key(long period, String pem) {
    Ed25519PrivateKey k = Ed25519PrivateKey.parse(pem).using(ed25519);
    return new Key(period, k, Jwk.thumbprint(k.publicKey()));
  }
}
