package dev.signet.server.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.server.redis.RedisConnection;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real Redis on loopback ({@code .ci/run} starts it); each test with its own key prefix. */
class RedisReplayStoreTest {
  static final String URL = System.getProperty("signet.test.redis.url", "redis://127.0.0.1:6379");
  final Clock clock = Clock.systemUTC();
  Vertx vertx;
  RedisConnection redis;
  RedisReplayStore store;
  String prefix;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    prefix = "signet-test:" + UUID.randomUUID() + ":";
    redis = new RedisConnection(vertx, URL, Duration.ofSeconds(2));
    store = new RedisReplayStore(redis, prefix, clock);
  }

  @AfterEach
  void close() {
    redis.close();
    vertx.close();
  }

  @Test
  void exactlyOneWinnerAcrossThreads() throws Exception {
    assertThat(redis.healthy()).isTrue();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String id = "jti-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          fs.add(pool.submit(() -> {
            go.await();
            return store.firstUse(id, clock.instant().plusSeconds(60));
          }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> f : fs) {
          winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void remembersOnlyUntilExpiryAndPerPrefix() throws Exception {
    assertThat(store.firstUse("a", clock.instant().plusMillis(300))).isTrue();
    assertThat(store.firstUse("a", clock.instant().plusMillis(300))).isFalse();
    RedisReplayStore other = new RedisReplayStore(redis, prefix + "other:", clock);
    assertThat(other.firstUse("a", clock.instant().plusSeconds(60))).isTrue();
    Thread.sleep(700);
    assertThat(store.firstUse("a", clock.instant().plusSeconds(60))).isTrue();
  }

  @Test
  void unreachableRedisFailsClosed() {
    try (RedisConnection down = new RedisConnection(vertx, "redis://127.0.0.1:1", Duration.ofSeconds(1))) {
      RedisReplayStore dead = new RedisReplayStore(down, prefix, clock);
      assertThatThrownBy(() -> dead.firstUse("x", clock.instant().plusSeconds(60)))
          .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNAVAILABLE));
      assertThat(down.healthy()).isFalse();
    }
  }
}
