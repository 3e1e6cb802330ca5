package dev.signet.server.replay;

import dev.signet.replay.ReplayStore;
import dev.signet.server.redis.RedisConnection;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;

/**
 * The replay cache in Redis, shared by every node: one {@code SET key 1 NX PX ttl} per credential,
 * so of all nodes racing with the same token exactly one gets {@code OK}. The key expires when the
 * credential could no longer be accepted anyway. Unreachable Redis is {@code UNAVAILABLE}: the
 * credential is refused, never accepted.
 */
public final class RedisReplayStore implements ReplayStore {
  private final RedisConnection redis;
  private final String prefix;
  private final Clock clock;

  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(redis.send(claim(id, until)));
  }

  /** {@link #firstUse} without blocking, for event loops; fails with {@code UNAVAILABLE}. */
  public Future<Boolean> firstUseAsync(String id, Instant until) {
    return redis.sendAsync(claim(id, until)).map(RedisReplayStore::firstUse);
  }

  private Request claim(String id, Instant until) {
    long ttl = Math.max(1, until.toEpochMilli() - clock.millis());
    return Request.cmd(Command.SET).arg(prefix + id).arg("1").arg("NX").arg("PX").arg(ttl);
  }

  private static boolean firstUse(Response r) {
    return r != null && "OK".equals(r.toString());
  }
}
