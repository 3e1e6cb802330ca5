package dev.signet.jwks;

import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import dev.signet.verify.WouldBlock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One issuer's key set, fetched from its {@link JwksSource} and cached.
 *
 * <ul>
 *   <li>A fetched set is fresh for {@code cacheFor}, or for the response's {@code max-age} when that
 *       is shorter (never under {@code minRefresh}); after 80% of that it is re-fetched in the
 *       background while requests go on using it.
 *   <li>A token naming a {@code kid} the set lacks makes one re-fetch, at most one per
 *       {@code minRefresh}: a flood of unknown kids costs the issuer one request per interval.
 *   <li>When the issuer cannot be reached the last set is used for up to {@code maxStale} past its
 *       freshness, then keys of this issuer are {@code unavailable} (503) until a fetch succeeds.
 *       Failed attempts are also spaced by {@code minRefresh}.
 * </ul>
 */
public final class RemoteJwks {
  /** How long sets are trusted; see the class comment. */
  public record Timing(Duration cacheFor, Duration minRefresh, Duration maxStale) {
    public Timing {
      if (minRefresh.isNegative() || cacheFor.compareTo(minRefresh) < 0 || maxStale.isNegative()) {
        throw new IllegalArgumentException("need 0 <= minRefresh <= cacheFor and maxStale >= 0");
      }
    }
  }

  /** Told about every fetch, for logs and metrics. {@code detail} never holds key material. */
  public interface Listener {
    void fetched(String issuer, boolean ok, int keys, String detail);
  }

  private record State(Map<String, JwsKey> keys, long expiresAt, long refreshAt) {}

  private static final WouldBlock WOULD_BLOCK = new WouldBlock("the key set must be fetched");

  private final String issuer;
  private final JwksSource source;
  private final Clock clock;
  private final Timing timing;
  private final Executor background;
  private final Ed25519Provider ed25519;
  private final Listener listener;
  private final Object fetchLock = new Object();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final LongAdder fetches = new LongAdder();
  private volatile State state;
  private volatile long lastAttempt;
  private volatile boolean attempted;

  /**
   * @param background runs the early refreshes (it may block on the source)
   */
  public RemoteJwks(String issuer, JwksSource source, Clock clock, Timing timing, Executor background,
      Ed25519Provider ed25519, Listener listener) {
    this.issuer = Objects.requireNonNull(issuer);
    this.source = Objects.requireNonNull(source);
    this.clock = Objects.requireNonNull(clock);
    this.timing = Objects.requireNonNull(timing);
    this.background = Objects.requireNonNull(background);
    this.ed25519 = Objects.requireNonNull(ed25519);
    this.listener = Objects.requireNonNull(listener);
  }

  public String issuer() {
    return issuer;
  }

  /** Fetches attempted so far (successful or not). */
  public long fetches() {
    return fetches.sum();
  }

  /** Keys in the set in use (0 before the first successful fetch). */
  public int size() {
    State s = state;
    return s == null ? 0 : s.keys().size();
  }

  /**
   * The key named {@code kid}, fetching the set first where the rules above say so.
   *
   * @param mayBlock false on a thread that must not wait: then a needed fetch throws
   *     {@link WouldBlock} instead, and the caller asks again where it may block
   * @throws VerificationException {@link Failure#UNAVAILABLE} when no set, or only one older than
   *     the stale bound, is at hand
   */
  public Optional<JwsKey> key(String kid, boolean mayBlock) throws VerificationException {
    long now = clock.millis();
    State s = state;
    if (s == null || now >= s.expiresAt()) {
      if (mayFetch(now)) {
        if (!mayBlock) {
          throw WOULD_BLOCK;
        }
        fetch();
        s = state;
      }
      if (s == null) {
        throw new VerificationException(Failure.UNAVAILABLE, "the key set of issuer " + issuer + " could not be fetched");
      }
      if (clock.millis() >= s.expiresAt() + timing.maxStale().toMillis()) {
        throw new VerificationException(Failure.UNAVAILABLE,
            "the key set of issuer " + issuer + " could not be refreshed and the last one is too old to use");
      }
    } else if (now >= s.refreshAt() && mayFetch(now)) {
      refreshInBackground();
    }
    JwsKey key = s.keys().get(kid);
    if (key == null && mayFetch(now)) {
      if (!mayBlock) {
        throw WOULD_BLOCK;
      }
      fetch();
      State after = state;
      key = after == null ? null : after.keys().get(kid);
    }
    return Optional.ofNullable(key);
  }

  private boolean mayFetch(long now) {
    return !attempted || now - lastAttempt >= timing.minRefresh().toMillis();
  }

  private void refreshInBackground() {
    if (refreshing.compareAndSet(false, true)) {
      try {
        background.execute(() -> {
          try {
            fetch();
          } finally {
            refreshing.set(false);
          }
        });
      } catch (RuntimeException rejected) {
        refreshing.set(false);
      }
    }
  }

  /** One attempt, unless another thread made one within {@code minRefresh} while this one waited. */
  private void fetch() {
    synchronized (fetchLock) {
      long now = clock.millis();
      if (!mayFetch(now)) {
        return;
      }
      attempted = true;
      lastAttempt = now;
      fetches.increment();
      try {
        JwksSource.Document doc = source.fetch();
        JwkSet set = JwkSet.parse(doc.body(), ed25519);
        long ttl = timing.cacheFor().toMillis();
        if (doc.maxAgeSeconds().isPresent()) {
          ttl = Math.max(timing.minRefresh().toMillis(), Math.min(ttl, doc.maxAgeSeconds().getAsLong() * 1000));
        }
        state = new State(set.keys(), now + ttl, now + ttl * 4 / 5);
        listener.fetched(issuer, true, set.keys().size(),
            set.skipped().isEmpty() ? "" : "skipped " + String.join("; ", set.skipped()));
      } catch (IOException | IllegalArgumentException e) {
        listener.fetched(issuer, false, size(), String.valueOf(e.getMessage()));
      }
    }
  }
}
