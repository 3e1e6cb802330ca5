package dev.signet.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.server.pin.PinAttempts;
import dev.signet.testing.MutableClock;
import dev.signet.testing.Race;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PIN failure counters and locks on the real Redis on loopback, with a key prefix per test. */
class RedisPinAttemptsTest {
  static final String URL = System.getProperty("signet.test.redis.url", "redis://127.0.0.1:6379");
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  Vertx vertx;
  RedisConnection redis;
  RedisPinAttempts attempts;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    redis = new RedisConnection(vertx, URL, Duration.ofSeconds(2));
    attempts = new RedisPinAttempts(redis, "signet-test:" + UUID.randomUUID() + ":", clock, 5, 2);
  }

  @AfterEach
  void close() {
    redis.close();
    vertx.close();
  }

  @Test
  void theFailureThatReachesTheLimitLocksAndResetClears() throws Exception {
    String user = UUID.randomUUID().toString();
    assertThat(attempts.state(user)).isEqualTo(new PinAttempts.State(0, 0));
    for (int i = 0; i < 4; i++) {
      attempts.recordFailure(user);
    }
    assertThat(attempts.state(user)).isEqualTo(new PinAttempts.State(4, 0));
    attempts.recordFailure(user);
    long until = clock.instant().getEpochSecond() + 2;
    assertThat(attempts.state(user)).isEqualTo(new PinAttempts.State(5, until));
    attempts.reset(user);
    assertThat(attempts.state(user)).isEqualTo(new PinAttempts.State(0, 0));
  }

  @Test
  void theLockExpiresInRedisButTheCountStaysUntilARightPin() throws Exception {
    String user = UUID.randomUUID().toString();
    for (int i = 0; i < 5; i++) {
      attempts.recordFailure(user);
    }
    Thread.sleep(2300);
    assertThat(attempts.state(user)).as("the lock key expired; one more wrong PIN locks again").isEqualTo(new PinAttempts.State(5, 0));
  }

  @Test
  void concurrentFailuresAllCount() throws Exception {
    String user = UUID.randomUUID().toString();
    Race.run(8, i -> {
      attempts.recordFailure(user);
      return null;
    });
    assertThat(attempts.state(user).failures()).isEqualTo(8);
    assertThat(attempts.state(user).lockedUntil()).isPositive();
  }
}
