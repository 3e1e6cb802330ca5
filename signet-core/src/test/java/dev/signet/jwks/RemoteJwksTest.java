package dev.signet.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.WouldBlock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The cache's rules against an issuer whose answers the test sets (the network itself is exercised
 * by the server's JwksE2ETest over HTTPS).
 */
class RemoteJwksTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final Ed25519PrivateKey k1 = Fixtures.newEd25519();
  final Ed25519PrivateKey k2 = Fixtures.newEd25519();
  /** What the issuer serves now: a set of kids, or null when it is down. */
  Map<String, Ed25519PrivateKey> serving = new HashMap<>(Map.of("k1", k1));
  OptionalLong maxAge = OptionalLong.empty();
  int served;
  final Queue<Runnable> background = new ArrayDeque<>();
  final List<String> events = new ArrayList<>();

  final JwksSource source = () -> {
    if (serving == null) {
      throw new IOException("connection refused");
    }
    served++;
    List<Map<String, Object>> keys = new ArrayList<>();
    serving.forEach((kid, k) -> {
      Map<String, Object> jwk = new HashMap<>(Jwk.signingKey(k.publicKey()));
      jwk.put("kid", kid);
      keys.add(jwk);
    });
    return new JwksSource.Document(JSON.writeValueAsBytes(Map.of("keys", keys)), maxAge);
  };

  RemoteJwks jwks(Duration cacheFor, Duration minRefresh, Duration maxStale) {
    return new RemoteJwks("org-1", source, clock, new RemoteJwks.Timing(cacheFor, minRefresh, maxStale), background::add,
        Ed25519Provider.java(), (iss, ok, n, detail) -> events.add(iss + " " + (ok ? "ok " + n : "error " + detail)));
  }

  RemoteJwks standard() {
    return jwks(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1));
  }

  @Test
  void fetchesOnceAndServesFromTheCache() throws Exception {
    RemoteJwks j = standard();
    assertThat(j.key("k1", true)).isPresent();
    for (int i = 0; i < 100; i++) {
      assertThat(j.key("k1", true)).isPresent();
    }
    assertThat(j.fetches()).isEqualTo(1);
    assertThat(events).containsExactly("org-1 ok 1");
  }

  @Test
  void anEventLoopNeverWaits() throws Exception {
    RemoteJwks j = standard();
    assertThatThrownBy(() -> j.key("k1", false)).isInstanceOf(WouldBlock.class);
    assertThat(j.fetches()).isZero();
    j.key("k1", true);
    assertThat(j.key("k1", false)).isPresent();
    serving.put("k2", k2);
    clock.advance(Duration.ofSeconds(31));
    assertThatThrownBy(() -> j.key("k2", false)).isInstanceOf(WouldBlock.class);
    assertThat(j.key("k2", true)).isPresent();
  }

  @Test
  void rotationANewKidAppearsAndAnOldOneDisappears() throws Exception {
    RemoteJwks j = standard();
    j.key("k1", true);
    serving = new HashMap<>(Map.of("k2", k2));
    // Within min_refresh of the last fetch, an unknown kid does not fetch.
    assertThat(j.key("k2", true)).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(j.key("k2", true)).isPresent();
    // k1 is gone from the set now.
    assertThat(j.key("k1", true)).isEmpty();
    assertThat(j.fetches()).isEqualTo(2);
  }

  @Test
  void aFloodOfUnknownKidsCostsOneFetchPerInterval() throws Exception {
    RemoteJwks j = standard();
    j.key("k1", true);
    for (int second = 0; second < 120; second++) {
      for (int i = 0; i < 50; i++) {
        assertThat(j.key("forged-" + second + "-" + i, true)).isEmpty();
      }
      clock.advance(Duration.ofSeconds(1));
    }
    // 120 s at one fetch per 30 s at most (plus the first).
    assertThat(j.fetches()).isBetween(2L, 5L);
    assertThat(served).isEqualTo((int) j.fetches());
  }

  @Test
  void refreshesEarlyInTheBackgroundWhileServing() throws Exception {
    RemoteJwks j = standard();
    j.key("k1", true);
    clock.advance(Duration.ofSeconds(241));  // 80% of 300 s
    serving.put("k2", k2);
    assertThat(j.key("k1", true)).isPresent();
    assertThat(j.fetches()).isEqualTo(1);
    assertThat(background).hasSize(1);
    j.key("k1", true);
    assertThat(background).as("one refresh at a time").hasSize(1);
    background.poll().run();
    assertThat(j.fetches()).isEqualTo(2);
    assertThat(j.key("k2", false)).isPresent();
  }

  @Test
  void maxAgeShortensTheCacheButNeverBelowMinRefresh() throws Exception {
    maxAge = OptionalLong.of(60);
    RemoteJwks j = standard();
    j.key("k1", true);
    clock.advance(Duration.ofSeconds(61));
    j.key("k1", true);
    assertThat(j.fetches()).isEqualTo(2);
    maxAge = OptionalLong.of(0);
    clock.advance(Duration.ofSeconds(61));
    j.key("k1", true);
    clock.advance(Duration.ofSeconds(10));
    j.key("k1", true);
    assertThat(j.fetches()).as("max-age 0 still waits min_refresh").isEqualTo(3);
    maxAge = OptionalLong.of(86_400);
    clock.advance(Duration.ofSeconds(30));
    j.key("k1", true);
    clock.advance(Duration.ofSeconds(301));
    j.key("k1", true);
    assertThat(j.fetches()).as("a long max-age does not stretch cache_seconds").isEqualTo(5);
  }

  @Test
  void issuerDownServesStaleForABoundedTimeThenRefuses() throws Exception {
    RemoteJwks j = standard();
    j.key("k1", true);
    serving = null;
    clock.advance(Duration.ofMinutes(5));
    assertThat(j.key("k1", true)).isPresent();
    assertThat(events).last().asString().contains("error connection refused");
    clock.advance(Duration.ofMinutes(59));
    assertThat(j.key("k1", true)).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> j.key("k1", true)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
    long attempts = j.fetches();
    assertThatThrownBy(() -> j.key("k1", true)).isInstanceOf(VerificationException.class);
    assertThat(j.fetches()).as("failed attempts are spaced too").isEqualTo(attempts);
    serving = new HashMap<>(Map.of("k1", k1));
    clock.advance(Duration.ofSeconds(30));
    assertThat(j.key("k1", true)).isPresent();
  }

  @Test
  void neverFetchedIsUnavailableAndABadDocumentKeepsTheLastGoodSet() throws Exception {
    serving = null;
    RemoteJwks j = standard();
    assertThatThrownBy(() -> j.key("k1", true)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
    serving = new HashMap<>(Map.of("k1", k1));
    clock.advance(Duration.ofSeconds(30));
    assertThat(j.key("k1", true)).isPresent();
    RemoteJwks broken = new RemoteJwks("org-2", new JwksSource() {
      int calls;

      @Override
      public Document fetch() throws IOException {
        return calls++ == 0 ? source.fetch() : new Document("{\"keys\":\"oops\"}".getBytes(), OptionalLong.empty());
      }
    }, clock, new RemoteJwks.Timing(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1)), Runnable::run,
        Ed25519Provider.java(), (iss, ok, n, detail) -> events.add(iss + " " + (ok ? "ok" : "error " + detail)));
    assertThat(broken.key("k1", true)).isPresent();
    clock.advance(Duration.ofMinutes(6));
    assertThat(broken.key("k1", true)).isPresent();
    assertThat(events).last().asString().isEqualTo("org-2 error JWKS has no keys array");
  }

  @Test
  void theResolverPutsTheIssuersSetBeforeRegisteredKeysAndFallsBackWhenItIsDown() throws Exception {
    RemoteJwks j = standard();
    RegisteredKey registered = new RegisteredKey(dev.signet.jwt.JwsKey.rs256(Fixtures.RSA.publicKey()), "org-1", null, null);
    Fixtures.Registry store = new Fixtures.Registry().add(new KeyRef(Scheme.SERVICE, "org-1", "registered"), registered);
    JwksKeyResolver resolver = new JwksKeyResolver(Map.of("org-1", j), store);
    Optional<RegisteredKey> fromSet = resolver.resolve(new KeyRef(Scheme.SERVICE, "org-1", "k1"));
    assertThat(fromSet).get().satisfies(k -> {
      assertThat(k.key().publicKey()).isEqualTo(k1.publicKey());
      assertThat(k.owner()).isEqualTo("org-1");
      assertThat(k.grantedScopes()).isNull();
    });
    assertThat(resolver.resolve(new KeyRef(Scheme.SERVICE, "org-1", "registered"))).contains(registered);
    assertThat(resolver.resolve(new KeyRef(Scheme.SERVICE, "org-2", "k1"))).isEmpty();
    serving = null;
    clock.advance(Duration.ofHours(2));
    assertThat(resolver.resolve(new KeyRef(Scheme.SERVICE, "org-1", "registered"))).contains(registered);
    assertThatThrownBy(() -> resolver.resolve(new KeyRef(Scheme.SERVICE, "org-1", "k1"))).isInstanceOf(VerificationException.class);
  }
}
