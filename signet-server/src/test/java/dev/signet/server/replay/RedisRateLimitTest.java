package dev.signet.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.limits.Charge;
import dev.signet.limits.Gcra;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimitPolicy;
import dev.signet.server.redis.RedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replay claim and GCRA in one script call, against the real Redis on loopback. */
class RedisRateLimitTest {
  static final String URL = System.getProperty("signet.test.redis.url", "redis://127.0.0.1:6379");
  final Clock clock = Clock.systemUTC();
  final RateLimitPolicy threePerMinute = new RateLimitPolicy("per-user", RateLimitPolicy.Key.USER, 3, 60, 3);
  final RateLimitPolicy onePerMinute = new RateLimitPolicy("orders", RateLimitPolicy.Key.ROUTE, 1, 60, 1);
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

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  RedisReplayStore.Claim claim(List<Charge> charges) throws Exception {
    Instant now = clock.instant();
    return await(store.claimAsync(UUID.randomUUID().toString(), now, now.plusSeconds(60), charges));
  }

  @Test
  void aBurstIsSpentThenRefusedWithWhenToRetry() throws Exception {
    List<Charge> charges = List.of(new Charge(threePerMinute, "alice"));
    long[] remaining = new long[3];
    for (int i = 0; i < 3; i++) {
      RedisReplayStore.Claim c = claim(charges);
      assertThat(c.firstUse()).isTrue();
      assertThat(c.limits().refused()).isNull();
      remaining[i] = c.limits().decisions().get(0).remaining();
    }
    assertThat(remaining).containsExactly(2, 1, 0);
    RedisReplayStore.Claim over = claim(charges);
    assertThat(over.firstUse()).as("the token is spent all the same").isTrue();
    Gcra.Decision d = over.limits().decisions().get(0);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfterSeconds()).isBetween(19L, 20L);
    assertThat(d.resetSeconds()).isBetween(59L, 60L);
    assertThat(over.limits().description()).startsWith("rate_limited: per-user allows 3 requests per 60 s per user");
    assertThat(claim(List.of(new Charge(threePerMinute, "bob"))).limits().refused()).as("keys are apart").isNull();
  }

  @Test
  void aReplayedOrStaleTokenCountsAgainstNoLimit() throws Exception {
    List<Charge> charges = List.of(new Charge(onePerMinute, "/api/orders"));
    Instant now = clock.instant();
    assertThat(await(store.claimAsync("t1", now, now.plusSeconds(60), charges)).limits().refused()).isNull();
    RedisReplayStore.Claim replay = await(store.claimAsync("t1", now, now.plusSeconds(60), charges));
    assertThat(replay.firstUse()).isFalse();
    assertThat(replay.limits()).isEqualTo(RateLimitOutcome.NONE);
    // Nothing was counted for the replay: the key's state is the first request's alone.
    String tat = await(redis.sendAsync(Request.cmd(Command.GET).arg(prefix + "rl:orders:/api/orders"))).toString();
    assertThat(await(store.limitAsync(charges)).refused()).as("the one request the minute allows was the first").isNotNull();
    assertThat(await(redis.sendAsync(Request.cmd(Command.GET).arg(prefix + "rl:orders:/api/orders"))).toString()).isEqualTo(tat);
  }

  @Test
  void policiesAreCountedInOrderUntilOneRefuses() throws Exception {
    List<Charge> charges = List.of(new Charge(onePerMinute, "/api/orders"), new Charge(threePerMinute, "alice"));
    RedisReplayStore.Claim first = claim(charges);
    assertThat(first.limits().decisions()).hasSize(2);
    RedisReplayStore.Claim second = claim(charges);
    assertThat(second.limits().decisions()).as("the route refused; alice's quota is not spent").hasSize(1);
    assertThat(second.limits().refused().policy().name()).isEqualTo("orders");
    assertThat(claim(List.of(new Charge(threePerMinute, "alice"))).limits().decisions().get(0).remaining()).isEqualTo(1);
  }

  long calls(String command) throws Exception {
    String info = await(redis.sendAsync(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** A claim from an event loop, through its pipelined connection (the test thread uses the pool). */
  RedisReplayStore.Claim claimOnLoop(List<Charge> charges) throws Exception {
    io.vertx.core.Promise<RedisReplayStore.Claim> p = io.vertx.core.Promise.promise();
    Instant now = clock.instant();
    vertx.getOrCreateContext().runOnContext(v -> store.claimAsync(UUID.randomUUID().toString(), now, now.plusSeconds(60), charges)
        .onComplete(p));
    return await(p.future());
  }

  @Test
  void scriptsAreCalledByTheirShaAndLoadedAgainWhenRedisForgetsThem() throws Exception {
    List<Charge> dave = List.of(new Charge(threePerMinute, "dave"));
    List<Charge> erin = List.of(new Charge(threePerMinute, "erin"));
    claim(erin);
    claimOnLoop(erin); // both paths hold a connection now
    long evals = calls("eval");
    long bySha = calls("evalsha");
    // What a restarted Redis, or SCRIPT FLUSH, leaves: no script. The cache is the server's, so the
    // first caller after a flush meets NOSCRIPT: flushed once per path.
    await(redis.sendAsync(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertThat(claimOnLoop(dave).limits().decisions().get(0).remaining()).as("the loop's pipeline loads them again").isEqualTo(2);
    await(redis.sendAsync(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertThat(claim(dave).limits().decisions().get(0).remaining()).as("the pooled path too").isEqualTo(1);
    assertThat(claimOnLoop(dave).limits().refused()).isNull();
    assertThat(claim(dave).limits().refused()).as("the fourth of three a minute").isNotNull();
    assertThat(calls("eval")).as("no script body sent with a call").isEqualTo(evals);
    assertThat(calls("evalsha") - bySha).as("by SHA: the 4 calls (and, as Redis counts, the 2 it answered NOSCRIPT)")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void keysExpireWhenTheirBucketIsWholeAgain() throws Exception {
    RateLimitPolicy tenPerSecond = new RateLimitPolicy("fast", RateLimitPolicy.Key.USER, 10, 1, 2);
    claim(List.of(new Charge(tenPerSecond, "carol")));
    long ttl = await(redis.sendAsync(Request.cmd(Command.PTTL).arg(prefix + "rl:fast:carol"))).toLong();
    assertThat(ttl).as("100 ms to a whole bucket again").isBetween(1L, 100L);
  }
}
