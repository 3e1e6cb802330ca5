package dev.signet.server.replay;

import dev.signet.replay.ReplayStore;
import dev.signet.server.redis.RedisConnection;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * The replay cache in Redis, shared by every node: one script per credential that sets
 * {@code prefix + id} with {@code NX PX ttl}, so of all nodes racing with the same token exactly one
 * wins. The mark expires when the credential could no longer be accepted anyway. Unreachable Redis
 * is {@code UNAVAILABLE}: the credential is refused, never accepted.
 *
 * <p>Replication is asynchronous: a primary can acknowledge a mark and fail before its replica has
 * it, and a restarted Redis has lost what it had not saved. So the same script keeps a <em>replay
 * epoch</em>: {@code prefix + "epoch"} holds the primary's replication id and the moment the epoch
 * began. When the Redis answering is not the one that began the epoch (a promoted replica, or any
 * restart: both take a new replication id) or the key is gone, that claim begins a new epoch, now;
 * and every credential issued at or before the epoch's start is refused ({@code STALE}). So nothing
 * used before a failover is accepted after it, and the check and the claim are one atomic step:
 * there is no moment in which a node has not yet noticed the new primary.
 */
public final class RedisReplayStore implements ReplayStore {
  // KEYS[1]: the epoch key; ARGV[3]: this node's clock, ms. Leaves the epoch's start in `epoch`,
  // and `began` 1 if this call began it.
  private static final String EPOCH = """
      local id = string.match(redis.call('INFO', 'replication'), 'master_replid:(%x+)')
      local held = redis.call('GET', KEYS[1])
      local epoch = held and string.match(held, '^' .. id .. ':(%d+)$')
      local began = 0
      if epoch then
        epoch = tonumber(epoch)
      else
        local t = redis.call('TIME')
        local previous = held and tonumber(string.match(held, ':(%d+)$')) or 0
        epoch = math.max(tonumber(ARGV[3]), tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), previous + 1)
        redis.call('SET', KEYS[1], id .. ':' .. string.format('%.0f', epoch))
        began = 1
      end
      local ms = string.format('%.0f', epoch)
      """;
  // KEYS[2]: the mark; ARGV[1]: the credential's issue time, ms; ARGV[2]: the mark's ttl, ms.
  // Returns {1 first use | 0 replay | -1 stale, epoch start ms, began}.
  private static final String CLAIM = EPOCH + """
      if tonumber(ARGV[1]) <= epoch then return {-1, ms, began} end
      if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {1, ms, began} end
      return {0, ms, began}
      """;
  private static final String CURRENT = EPOCH + "return {1, ms, began}\n";

  private final RedisConnection redis;
  private final String prefix;
  private final Clock clock;
  private final LongConsumer epochBegan;

  /** {@code epochBegan} hears the start (ms) of each epoch one of this node's claims began. */
  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock, LongConsumer epochBegan) {
    this.redis = redis;
    this.prefix = prefix;
    this.clock = clock;
    this.epochBegan = epochBegan;
  }

  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock) {
    this(redis, prefix, clock, epoch -> {});
  }

  /**
   * Begins an epoch unless the Redis answering already has one: at a node's start, so that its
   * first claims are not the ones refused. Returns the epoch's start.
   */
  public Instant currentEpoch() throws VerificationException {
    long now = clock.millis();
    Response r = redis.send(Request.cmd(Command.EVAL).arg(CURRENT).arg(1).arg(prefix + "epoch").arg(0).arg(0).arg(now));
    answer(r);
    return Instant.ofEpochMilli(Long.parseLong(r.get(1).toString()));
  }

  /** Without an issue time the credential counts as issued now: refused only if an epoch begins this instant. */
  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(id, clock.instant(), until);
  }

  @Override
  public boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    return answer(redis.send(claim(id, issuedAt, until)));
  }

  /** {@link #firstUse} without blocking, for event loops; fails with {@code UNAVAILABLE} or {@code STALE}. */
  public Future<Boolean> firstUseAsync(String id, Instant issuedAt, Instant until) {
    return redis.sendAsync(claim(id, issuedAt, until)).compose(r -> {
      try {
        return Future.succeededFuture(answer(r));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Request claim(String id, Instant issuedAt, Instant until) {
    long now = clock.millis();
    long ttl = Math.max(1, until.toEpochMilli() - now);
    return Request.cmd(Command.EVAL).arg(CLAIM).arg(2).arg(prefix + "epoch").arg(prefix + id)
        .arg(issuedAt.toEpochMilli()).arg(ttl).arg(now);
  }

  private boolean answer(Response r) throws VerificationException {
    if (r == null || r.size() != 3) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store gave no answer");
    }
    if (r.get(2).toInteger() == 1) {
      epochBegan.accept(Long.parseLong(r.get(1).toString()));
    }
    return switch (r.get(0).toInteger()) {
      case 1 -> true;
      case 0 -> false;
      default -> throw new VerificationException(Failure.STALE,
          "token issued before the replay store's primary changed (failover or restart); sign a new one");
    };
  }
}
