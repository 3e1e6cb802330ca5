package dev.signet.server.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.server.redis.RedisConnection;
import dev.signet.server.testing.TcpProxy;
import dev.signet.testing.Race;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
  void open() throws Exception {
    vertx = Vertx.vertx();
    prefix = "signet-test:" + UUID.randomUUID() + ":";
    redis = new RedisConnection(vertx, URL, Duration.ofSeconds(2));
    store = new RedisReplayStore(redis, prefix, clock);
    // As a node does at its start; credentials issued at or before the epoch's first instant are stale.
    // Compared in whole milliseconds, as the claim sends them: a later microsecond of the same ms is not after it.
    Instant epoch = store.currentEpoch();
    while (clock.millis() <= epoch.toEpochMilli()) {
      Thread.onSpinWait();
    }
  }

  @AfterEach
  void close() {
    redis.close();
    vertx.close();
  }

  @Test
  void exactlyOneWinnerAcrossThreads() throws Exception {
    assertThat(redis.healthy()).isTrue();
    for (int round = 0; round < 50; round++) {
      String id = "jti-" + round;
      assertThat(Race.winners(8, i -> store.firstUse(id, clock.instant().plusSeconds(60)))).as("winners for " + id).isEqualTo(1);
    }
  }

  @Test
  void remembersOnlyUntilExpiryAndPerPrefix() throws Exception {
    assertThat(store.firstUse("a", clock.instant().plusMillis(300))).isTrue();
    assertThat(store.firstUse("a", clock.instant().plusMillis(300))).isFalse();
    RedisReplayStore other = new RedisReplayStore(redis, prefix + "other:", clock);
    other.currentEpoch();
    Thread.sleep(2);
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

  @Test
  void claimsFromAnEventLoopAreSentTogetherAndEachAnsweredOnce() throws Exception {
    // 200 claims made in one loop turn leave as one pipelined batch; each id appears twice.
    List<Boolean> answers = onEventLoop(() -> {
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        claims.add(store.firstUseAsync("loop-" + (i % 100), clock.instant(), clock.instant().plusSeconds(60)));
      }
      return Future.all(claims).map(all -> claims.stream().map(Future::result).toList());
    });
    assertThat(answers.subList(0, 100)).containsOnly(true);
    assertThat(answers.subList(100, 200)).containsOnly(false);
  }

  @Test
  void anEventLoopsConnectionFailsClosedWhileRedisIsCutAndRecovers() throws Exception {
    try (TcpProxy proxy = new TcpProxy(java.net.URI.create(URL).getPort());
        RedisConnection viaProxy = new RedisConnection(vertx, "redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(500))) {
      RedisReplayStore proxied = new RedisReplayStore(viaProxy, prefix, clock);
      assertThat(onEventLoop(() -> proxied.firstUseAsync("before", clock.instant(), clock.instant().plusSeconds(60)))).isTrue();
      proxy.down();
      assertThatThrownBy(() -> onEventLoop(() -> proxied.firstUseAsync("during", clock.instant(), clock.instant().plusSeconds(60))))
          .hasRootCauseInstanceOf(VerificationException.class)
          .rootCause().satisfies(e -> assertThat(((VerificationException) e).failure()).isEqualTo(Failure.UNAVAILABLE));
      proxy.up();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Boolean after = null;
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = onEventLoop(() -> proxied.firstUseAsync("after", clock.instant(), clock.instant().plusSeconds(60)));
        } catch (ExecutionException stillDown) {
          Thread.sleep(100);
        }
      }
      assertThat(after).as("claims succeed again once Redis is reachable").isTrue();
      assertThat(onEventLoop(() -> proxied.firstUseAsync("before", clock.instant(), clock.instant().plusSeconds(60)))).isFalse();
    }
  }

  @Test
  void aNewPrimaryBeginsAnEpochThatRefusesEverythingIssuedBeforeIt() throws Exception {
    List<Long> began = new ArrayList<>();
    RedisReplayStore watched = new RedisReplayStore(redis, prefix + "watched:", clock, began::add, null);
    Instant issued = clock.instant();
    // The first claim under a prefix finds no epoch and begins one: a token from before is stale.
    assertThatThrownBy(() -> watched.firstUse("old", issued.minusSeconds(1), issued.plusSeconds(60)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
    assertThat(began).hasSize(1);
    Thread.sleep(5);
    assertThat(watched.firstUse("new", clock.instant(), clock.instant().plusSeconds(60))).isTrue();
    assertThat(watched.firstUse("new", clock.instant(), clock.instant().plusSeconds(60))).isFalse();
    assertThat(began).as("the same primary keeps its epoch").hasSize(1);

    // The epoch key as a primary that has since failed over left it (another replication id), and a
    // mark that did not reach the replica: a token used just before the switch is not accepted again.
    Instant beforeSwitch = clock.instant();
    redis.send(Request.cmd(Command.SET).arg(prefix + "watched:epoch").arg("0123456789abcdef0123456789abcdef01234567:" + (began.get(0))));
    Thread.sleep(5);
    assertThatThrownBy(() -> watched.firstUse("lost-mark", beforeSwitch, beforeSwitch.plusSeconds(60)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
    assertThat(began).hasSize(2);
    assertThat(began.get(1)).isGreaterThan(began.get(0));
    Thread.sleep(5);
    assertThat(watched.firstUse("after-switch", clock.instant(), clock.instant().plusSeconds(60))).isTrue();

    // A restarted Redis without its data: the key is gone, the next claim begins an epoch.
    redis.send(Request.cmd(Command.DEL).arg(prefix + "watched:epoch"));
    assertThatThrownBy(() -> watched.firstUse("x", beforeSwitch, beforeSwitch.plusSeconds(60)))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.STALE));
    assertThat(began).hasSize(3);
  }

  /** Runs {@code work} on one of Vert.x's event loops and waits for the future it returns. */
  private <T> T onEventLoop(Supplier<Future<T>> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(r -> {
      if (r.succeeded()) {
        result.complete(r.result());
      } else {
        result.completeExceptionally(r.cause());
      }
    }));
    return result.get(10, TimeUnit.SECONDS);
  }
}
