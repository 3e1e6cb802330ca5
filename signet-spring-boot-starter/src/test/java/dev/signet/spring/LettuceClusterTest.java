package dev.signet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitPolicy;
import dev.signet.replay.RedisKeys;
import dev.signet.testing.RedisCluster;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter's Redis store on a real Redis Cluster (three primaries, a replica each): two
 * instances share marks and limits under {@code signet serve}'s key names; a primary killed makes
 * only its slots' earlier claims stale while the other slots keep answering.
 */
class LettuceClusterTest {
  static RedisCluster cluster;

  @TempDir
  static Path dir;

  @BeforeAll
  static void up() throws Exception {
    assumeTrue(RedisCluster.available(), "skipped: redis-server and redis-cli (Debian's redis-server package, which .ci/run installs) are not here");
    cluster = new RedisCluster(dir);
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static LettuceReplayStore store(String prefix) {
    return LettuceReplayStore.cluster(cluster.nodes(), prefix, Clock.systemUTC());
  }

  static Instant soon() {
    return Instant.now().plusSeconds(60);
  }

  @Test
  void twoInstancesShareMarksAndLimitsAndAPrimaryKilledStalesOnlyItsSlots() throws Exception {
    String prefix = "lettuce_" + UUID.randomUUID().toString().substring(0, 8) + ":";
    try (LettuceReplayStore one = store(prefix); LettuceReplayStore two = store(prefix)) {
      Thread.sleep(1100); // claims issued after the second the epochs began in
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String id = "mixin-bot:" + UUID.randomUUID();
        ids.add(id);
        CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> claim(one, id));
        CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> claim(two, id));
        assertThat(List.of(a.join(), b.join())).as(id).containsExactlyInAnyOrder(true, false);
      }
      // The mark is where signet serve keeps it: the primary of the id's slot, under the same name.
      String mark = RedisKeys.cluster(prefix).claim(ids.get(0)).mark();
      assertThat(cluster.cli(cluster.primaryOf(RedisKeys.slot(ids.get(0))).port(), "EXISTS", mark).trim()).isEqualTo("1");

      // Two policies, each limiter in its own slot: 3 of 10 across both instances.
      RateLimitPolicy perUser = new RateLimitPolicy("per-user", RateLimitPolicy.Key.USER, 3, 60, 3);
      RateLimitPolicy perAddress = new RateLimitPolicy("per-address", RateLimitPolicy.Key.ADDRESS, 100, 60, 100);
      List<Charge> charges = List.of(new Charge(perUser, "u-" + prefix), new Charge(perAddress, "10.0.0.1"));
      int allowed = 0;
      for (int i = 0; i < 10; i++) {
        if ((i % 2 == 0 ? one : two).rateLimiter().acquire(charges).refused() == null) {
          allowed++;
        }
      }
      assertThat(allowed).isEqualTo(3);

      RedisCluster.Node victim = cluster.view().stream().filter(RedisCluster.Node::primary).findFirst().orElseThrow();
      Thread.sleep(200); // replicated
      cluster.kill(victim.port());
      long deadline = System.currentTimeMillis() + 30_000;
      int othersAnswered = 0;
      while (cluster.view().stream().noneMatch(n -> n.primary() && !n.failed() && n.port() != victim.port() && n.owns(victim.slots().get(0)[0]))
          && System.currentTimeMillis() < deadline) {
        String id = "fresh:" + UUID.randomUUID();
        if (!victim.owns(RedisKeys.slot(id))) {
          assertThat(claim(one, id)).as("a slot of another primary, while one is down").isTrue();
          othersAnswered++;
        }
      }
      assertThat(othersAnswered).isPositive();
      cluster.awaitOk();
      Thread.sleep(2000); // Lettuce reads the new slot map (each second)
      for (String id : ids) {
        if (victim.owns(RedisKeys.slot(id))) {
          assertThatThrownBy(() -> one.firstUse(id, Instant.now().minusSeconds(5), soon())).as(id)
              .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
        } else {
          assertThat(claim(two, id)).as(id).isFalse();
        }
      }
      Thread.sleep(1100);
      int fresh = 0;
      while (fresh < 10) {
        String id = "fresh:" + UUID.randomUUID();
        if (victim.owns(RedisKeys.slot(id))) {
          assertThat(claim(fresh % 2 == 0 ? one : two, id)).as("a fresh claim in a slot the replica took over").isTrue();
          fresh++;
        }
      }
      cluster.restart(victim.port());
      cluster.awaitOk();
    }
  }

  private static boolean claim(LettuceReplayStore store, String id) {
    try {
      return store.firstUse(id, Instant.now(), soon());
    } catch (VerificationException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
