package dev.signet.spring;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimiter;
import dev.signet.limits.RedisRateLimitScript;
import dev.signet.replay.RedisReplayScript;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay cache in Redis, as {@code signet serve} keeps it ({@link RedisReplayScript}): one atomic
 * script per token checks the replay epoch and sets {@code prefix+id} with {@code NX PX ttl}, so
 * that of every instance (and every {@code signet serve} node) sharing the Redis exactly one accepts
 * a token, and none accepts after a failover a token issued before it. Redis that cannot answer is
 * {@code UNAVAILABLE}: refused, never accepted.
 *
 * <p>Its {@link #rateLimiter()} keeps rate limits where {@code signet serve} keeps them ({@link RedisRateLimitScript}),
 * so every instance counts one limit; Redis that cannot answer refuses the request (503) there too.
 */
public final class LettuceReplayStore implements ReplayStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LettuceReplayStore.class);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;
  private final Clock clock;
  /** Each script's SHA-1, computed once. */
  private final java.util.Map<String, String> shas = java.util.Map.of(
      RedisReplayScript.CURRENT, RedisReplayScript.sha1(RedisReplayScript.CURRENT),
      RedisReplayScript.CLAIM, RedisReplayScript.sha1(RedisReplayScript.CLAIM),
      RedisRateLimitScript.LIMIT, RedisReplayScript.sha1(RedisRateLimitScript.LIMIT));

  public LettuceReplayStore(String url, String prefix, Clock clock) {
    this.client = RedisClient.create(url);
    client.setDefaultTimeout(Duration.ofSeconds(2));
    this.prefix = prefix;
    this.clock = clock;
    StatefulRedisConnection<String, String> c;
    try {
      c = client.connect();
    } catch (RedisException e) {
      client.shutdown();
      throw new IllegalStateException("signet.replay.url: cannot connect to Redis: " + e.getMessage(), e);
    }
    this.connection = c;
    // Begin (or join) the epoch now, so that this instance's first claims are not the ones refused.
    try {
      run(RedisReplayScript.CURRENT, new String[] {prefix + RedisReplayScript.EPOCH_KEY}, "0", "0");
    } catch (VerificationException e) {
      LOG.warn("Redis does not answer yet; tokens are refused until it does");
    }
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(id, clock.instant(), until);
  }

  @Override
  public boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    long ttl = Math.max(1, until.toEpochMilli() - clock.millis());
    List<Object> answer = run(RedisReplayScript.CLAIM,
        new String[] {prefix + RedisReplayScript.EPOCH_KEY, prefix + id}, Long.toString(issuedAt.toEpochMilli()), Long.toString(ttl));
    return RedisReplayScript.firstUse((Long) answer.get(0));
  }

  /** Rate limits counted in this Redis, under this store's prefix, as {@code signet serve} counts them. */
  public RateLimiter rateLimiter() {
    return this::acquire;
  }

  private RateLimitOutcome acquire(List<Charge> charges) throws VerificationException {
    if (charges.isEmpty()) {
      return RateLimitOutcome.NONE;
    }
    List<Long> answer;
    try {
      answer = eval(RedisRateLimitScript.LIMIT, RedisRateLimitScript.keys(prefix, charges).toArray(new String[0]),
          RedisRateLimitScript.args(charges).toArray(new String[0]));
      return RedisRateLimitScript.outcome(charges, answer, 0);
    } catch (RedisException | IllegalArgumentException | ClassCastException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter unavailable");
    }
  }

  /** Runs one of the scripts with the caller's clock as its last argument; logs an epoch it began. */
  private List<Object> run(String script, String[] keys, String... values) throws VerificationException {
    String[] args = java.util.Arrays.copyOf(values, values.length + 1);
    args[values.length] = Long.toString(clock.millis());
    List<Object> answer;
    try {
      answer = eval(script, keys, args);
    } catch (RedisException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    }
    if (answer == null || answer.size() < 3) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store gave no answer");
    }
    if (Long.valueOf(1).equals(answer.get(2))) {
      LOG.warn("replay epoch began at {}: the Redis primary changed (failover or restart) or its epoch key was gone; "
          + "tokens issued before then are refused as stale", Instant.ofEpochMilli(Long.parseLong(String.valueOf(answer.get(1)))));
    }
    return answer;
  }

  /**
   * {@code EVALSHA}, the script's body crossing the network and hashed by Redis only when Redis
   * does not hold it ({@code NOSCRIPT}: first use, a restart, a failover): then {@code EVAL}, which loads it.
   */
  private <T> T eval(String script, String[] keys, String[] args) {
    try {
      return connection.sync().evalsha(shas.get(script), ScriptOutputType.MULTI, keys, args);
    } catch (RedisNoScriptException e) {
      return connection.sync().eval(script, ScriptOutputType.MULTI, keys, args);
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
