package dev.signet.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.store.JdbcStore;
import dev.signet.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the in-memory store records in the embedded store, and what a new process restores. */
class DurableClaimsTest {
  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));

  @Test
  void onlyWhatTheRestartRuleCannotReachIsRecordedAndItComesBack() throws Exception {
    Instant until = clock.instant().plusSeconds(300);
    String longId = "service:https://issuer.example:k1:" + "j".repeat(1000);
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      InMemoryReplayStore memory = new InMemoryReplayStore(clock, 10_000);
      DurableClaims tokens = new DurableClaims(memory, store, clock, false);
      DurableClaims graphene = new DurableClaims(memory, store, clock, true);
      assertThat(tokens.firstUse("mixin-bot:s:now", clock.instant(), until)).isTrue();
      assertThat(tokens.firstUse("mixin-bot:s:ahead", clock.instant().plusSeconds(10), until)).isTrue();
      assertThat(tokens.firstUse(longId, clock.instant().plusSeconds(1), until)).isTrue();
      assertThat(graphene.firstUse("graphene:hive:abc", clock.instant().minusSeconds(6), until)).isTrue();
      assertThat(store.liveClaims(clock.millis())).as("the ordinary token stays in memory alone")
          .containsOnlyKeys("mixin-bot:s:ahead", ClaimRecords.key(longId), "graphene:hive:abc");
      assertThat(ClaimRecords.key(longId)).startsWith("sha256:").hasSize(71);
      assertThat(tokens.firstUse("mixin-bot:s:ahead", clock.instant().plusSeconds(10), until)).isFalse();
    }
    // The next process: its memory empty, the records put back.
    clock.advance(Duration.ofSeconds(5));
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      InMemoryReplayStore memory = new InMemoryReplayStore(clock, 10_000);
      assertThat(DurableClaims.restore(memory, store, clock)).isEqualTo(3);
      DurableClaims tokens = new DurableClaims(memory, store, clock, false);
      assertThat(tokens.firstUse("mixin-bot:s:ahead", clock.instant().plusSeconds(5), until)).isFalse();
      assertThat(tokens.firstUse(longId, clock.instant(), until)).isFalse();
      assertThat(new DurableClaims(memory, store, clock, true).firstUse("graphene:hive:abc", clock.instant(), until)).isFalse();
      // Once a record's credential could no longer be accepted, it is forgotten.
      clock.advance(Duration.ofSeconds(300));
      assertThat(store.purgeClaims(clock.millis())).isEqualTo(3);
      assertThat(DurableClaims.restore(new InMemoryReplayStore(clock, 10_000), store, clock)).isZero();
    }
  }
}
