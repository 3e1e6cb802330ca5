package dev.signet.server.redis;

import dev.signet.replay.RedisKeys;
import dev.signet.server.pin.PinAttempts;
import dev.signet.verify.VerificationException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;

/**
 * PIN failure counts and locks in Redis, shared by every node: {@code <prefix>pin:fail:<user>} counts
 * wrong PINs in a row ({@code INCR}), {@code <prefix>pin:lock:<user>} holds the lock's end and
 * expires with it (on a cluster both carry one hash tag, {@link RedisKeys}). One script per wrong PIN, so concurrent failures on several nodes all count and
 * the one that reaches the limit sets the lock.
 */
public final class RedisPinAttempts implements PinAttempts {
  private static final String FAIL = """
      local n = redis.call('INCR', KEYS[1])
      if n >= tonumber(ARGV[1]) then
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
      end
      return n
      """;
  private final RedisConnection redis;
  private final RedisScript fail;
  private final RedisKeys keys;
  private final Clock clock;
  private final int maxFailures;
  private final long lockSeconds;

  public RedisPinAttempts(RedisConnection redis, String prefix, Clock clock, int maxFailures, long lockSeconds) {
    this.redis = redis;
    this.fail = redis.script(FAIL);
    this.keys = redis.cluster() ? RedisKeys.cluster(prefix) : RedisKeys.standalone(prefix);
    this.clock = clock;
    this.maxFailures = maxFailures;
    this.lockSeconds = lockSeconds;
  }

  @Override
  public State state(String userId) throws VerificationException {
    Response r = redis.send(Request.cmd(Command.MGET).arg(failKey(userId)).arg(lockKey(userId)));
    return new State(r.get(0) == null ? 0 : r.get(0).toInteger(), r.get(1) == null ? 0 : r.get(1).toLong());
  }

  @Override
  public void recordFailure(String userId) throws VerificationException {
    long lockUntil = clock.instant().getEpochSecond() + lockSeconds;
    redis.call(fail.call(2).arg(failKey(userId)).arg(lockKey(userId))
        .arg(maxFailures).arg(lockUntil).arg(lockSeconds * 1000));
  }

  @Override
  public void reset(String userId) throws VerificationException {
    redis.send(Request.cmd(Command.DEL).arg(failKey(userId)).arg(lockKey(userId)));
  }

  private String failKey(String userId) {
    return keys.pinFailures(userId);
  }

  private String lockKey(String userId) {
    return keys.pinLock(userId);
  }
}
