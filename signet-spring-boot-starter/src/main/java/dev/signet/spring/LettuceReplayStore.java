package dev.signet.spring;

import dev.signet.replay.ReplayStore;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The replay cache in Redis, as {@code signet serve} keeps it: one {@code SET prefix+id 1 NX PX ttl}
 * per token, so that of every instance (and every {@code signet serve} node) sharing the Redis
 * exactly one accepts a token. Redis that cannot answer is {@code UNAVAILABLE}: refused, never accepted.
 */
public final class LettuceReplayStore implements ReplayStore, AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;
  private final Clock clock;

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
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    long ttl = Math.max(1, until.toEpochMilli() - clock.millis());
    try {
      return "OK".equals(connection.sync().set(prefix + id, "1", SetArgs.Builder.nx().px(ttl)));
    } catch (RedisException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
