package dev.signet.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testing.MutableClock;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryReplayStoreTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));

  @Test
  void exactlyOneWinnerWhenTheSameIdRacesOnManyThreads() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(clock, 100_000);
    int threads = 8;
    int rounds = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        String id = "jti-" + round;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          fs.add(pool.submit(() -> {
            start.await();
            if (store.firstUse(id, clock.instant().plusSeconds(300))) {
              winners.incrementAndGet();
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : fs) {
          f.get(10, TimeUnit.SECONDS);
        }
        assertThat(winners.get()).as("winners for " + id).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.size()).isEqualTo(rounds);
  }

  @Test
  void remembersOnlyUntilExpiry() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(clock, 10);
    assertThat(store.firstUse("a", clock.instant().plusSeconds(60))).isTrue();
    assertThat(store.firstUse("a", clock.instant().plusSeconds(60))).isFalse();
    clock.advance(Duration.ofSeconds(61));
    assertThat(store.firstUse("a", clock.instant().plusSeconds(60))).isTrue();
  }

  @Test
  void boundedMemoryFailsClosedAndRecoversAfterExpiry() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(clock, 3);
    for (String id : new String[] {"a", "b", "c"}) {
      assertThat(store.firstUse(id, clock.instant().plusSeconds(60))).isTrue();
    }
    assertThatThrownBy(() -> store.firstUse("d", clock.instant().plusSeconds(60)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
    // A live id is never evicted to make room: "a" is still a replay.
    assertThat(store.firstUse("a", clock.instant().plusSeconds(60))).isFalse();
    clock.advance(Duration.ofSeconds(61));
    assertThat(store.firstUse("d", clock.instant().plusSeconds(60))).isTrue();
    assertThat(store.firstUse("e", clock.instant().plusSeconds(60))).isTrue();
    assertThat(store.firstUse("f", clock.instant().plusSeconds(60))).isTrue();
    assertThat(store.firstUse("d", clock.instant().plusSeconds(60))).isFalse();
    assertThat(store.size()).isEqualTo(3);
  }

  @Test
  void atCapacityDropsExpiredIdsASegmentAtATimeNotAllAtOnce() throws Exception {
    int capacity = 64_000;
    InMemoryReplayStore store = new InMemoryReplayStore(clock, capacity);
    for (int i = 0; i < capacity; i++) {
      assertThat(store.firstUse("old-" + i, clock.instant().plusSeconds(1))).isTrue();
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.firstUse("new-0", clock.instant().plusSeconds(60))).isTrue();
    // One segment's expired ids made the room (about 1/64 of them), not a sweep of the whole store.
    assertThat(store.size()).isBetween(capacity - capacity / 16, capacity - capacity / 128);
    // And room keeps being made as needed: a full store of expired ids refuses no new one.
    for (int i = 1; i < capacity; i++) {
      assertThat(store.firstUse("new-" + i, clock.instant().plusSeconds(60))).isTrue();
    }
    assertThat(store.size()).isEqualTo(capacity);
    assertThatThrownBy(() -> store.firstUse("one-more", clock.instant().plusSeconds(60)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
    assertThat(store.firstUse("new-7", clock.instant().plusSeconds(60))).isFalse();
  }

  @Test
  void sweepsExpiredEntriesAsItGrows() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(clock, 1_000_000);
    for (int i = 0; i < 5000; i++) {
      store.firstUse("old-" + i, clock.instant().plusSeconds(1));
    }
    clock.advance(Duration.ofSeconds(2));
    for (int i = 0; i < 5000; i++) {
      store.firstUse("new-" + i, clock.instant().plusSeconds(1));
    }
    assertThat(store.size()).isLessThan(10_000);
  }

  /**
   * Against a map of id to expiry, through many rebuilds in place (deletions by backward shift, with
   * runs wrapping round the end of small tables) and many sweeps: every answer the same. A live id
   * lost by a deletion would show as a replay accepted.
   */
  @Test
  void answersAsAMapWouldThroughInPlaceRebuildsAndSweeps() throws Exception {
    java.util.Random random = new java.util.Random(20261123);
    for (int round = 0; round < 20; round++) {
      // Distinct ids a little under the capacity: the ids held reach the 90% where sweeps start.
      int ids = 5_000 + random.nextInt(15_000);
      int capacity = ids + random.nextInt(ids / 8);
      InMemoryReplayStore store = new InMemoryReplayStore(clock, capacity);
      java.util.Map<String, Long> model = new java.util.HashMap<>();
      for (int step = 0; step < 60_000; step++) {
        if (random.nextInt(50) == 0) {
          clock.advance(Duration.ofMillis(200 + random.nextInt(2_000)));
        }
        long now = clock.millis();
        String id = "id-" + random.nextInt(ids);
        Instant until = clock.instant().plusMillis(500 + random.nextInt(5_000));
        Long known = model.get(id);
        boolean expected = known == null || known <= now;
        boolean answer;
        try {
          answer = store.firstUse(id, until);
        } catch (VerificationException full) {
          // Each id holds one slot at most, and there are fewer ids than the capacity.
          throw new AssertionError("refused with room for every id", full);
        }
        assertThat(answer).as("round %d step %d %s", round, step, id).isEqualTo(expected);
        if (answer) {
          model.put(id, until.toEpochMilli());
        }
      }
      long live = model.values().stream().filter(e -> e > clock.millis()).count();
      assertThat(store.size()).isGreaterThanOrEqualTo((int) live).isLessThanOrEqualTo(capacity);
    }
  }

  @Test
  void manyIdsThroughGrowthAndExpiryAreEachAcceptedOnce() throws Exception {
    InMemoryReplayStore store = new InMemoryReplayStore(clock, 1_000_000);
    for (int i = 0; i < 200_000; i++) {
      assertThat(store.firstUse("id-" + i, clock.instant().plusSeconds(10 + i % 20))).isTrue();
    }
    for (int i = 0; i < 200_000; i++) {
      assertThat(store.firstUse("id-" + i, clock.instant().plusSeconds(60))).as("id-" + i).isFalse();
    }
    // Half of them expire; their slots are reused or dropped, and the live half stay refused.
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 200_000; i++) {
      boolean expired = 10 + i % 20 <= 20;
      assertThat(store.firstUse("id-" + i, clock.instant().plusSeconds(60))).as("id-" + i).isEqualTo(expired);
    }
    for (int i = 0; i < 50_000; i++) {
      assertThat(store.firstUse("more-" + i, clock.instant().plusSeconds(60))).isTrue();
    }
    assertThat(store.size()).isLessThanOrEqualTo(250_000);
  }
}
