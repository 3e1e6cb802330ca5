package dev.signet.server.replay;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RedisRateLimitScript;
import dev.signet.replay.RedisReplayScript;
import dev.signet.replay.ReplayStore;
import dev.signet.server.redis.RedisConnection;
import dev.signet.server.redis.RedisScript;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The replay cache in Redis, shared by every node, through {@link RedisReplayScript}: one atomic
 * script per credential checks the replay epoch (refusing, {@code STALE}, what was issued before the
 * primary last changed) and claims the mark. Unreachable Redis is {@code UNAVAILABLE}: the
 * credential is refused, never accepted.
 */
public final class RedisReplayStore implements ReplayStore {
  private final RedisConnection redis;
  private final RedisScript current;
  private final RedisScript claim;
  private final RedisScript claimAndLimit;
  private final RedisScript limit;
  private final String prefix;
  private final Clock clock;
  private final LongConsumer epochBegan;
  private final EpochWindow window;

  /**
   * @param epochBegan hears the start (ms) of each epoch one of this node's claims began
   * @param window what the epoch cannot refuse by time, checked in the store (null: not checked)
   */
  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock, LongConsumer epochBegan, EpochWindow window) {
    this.redis = redis;
    this.current = redis.script(RedisReplayScript.CURRENT);
    this.claim = redis.script(RedisReplayScript.CLAIM);
    this.claimAndLimit = redis.script(RedisReplayScript.CLAIM_AND_LIMIT);
    this.limit = redis.script(RedisRateLimitScript.LIMIT);
    this.prefix = prefix;
    this.clock = clock;
    this.epochBegan = epochBegan;
    this.window = window;
  }

  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock) {
    this(redis, prefix, clock, epoch -> {}, null);
  }

  /**
   * Begins an epoch unless the Redis answering already has one: at a node's start, so that its
   * first claims are not the ones refused. Returns the epoch's start.
   */
  public Instant currentEpoch() throws VerificationException {
    long now = clock.millis();
    Response r = redis.send(current.call(1).arg(prefix + RedisReplayScript.EPOCH_KEY).arg(0).arg(0).arg(now));
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
    Response r = redis.send(claim(id, issuedAt, until));
    return answer(r) && (window == null || window.admitsBlocking(id, issuedAt, until, epoch(r)));
  }

  /** {@link #firstUse} without blocking, for event loops; fails with {@code UNAVAILABLE} or {@code STALE}. */
  public Future<Boolean> firstUseAsync(String id, Instant issuedAt, Instant until) {
    return redis.sendAsync(claim(id, issuedAt, until)).compose(r -> {
      try {
        return answer(r) ? windowed(id, issuedAt, until, r) : Future.succeededFuture(false);
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** A first use in Redis, accepted unless the epoch window's records name it. */
  private Future<Boolean> windowed(String id, Instant issuedAt, Instant until, Response r) {
    return window == null ? Future.succeededFuture(true) : window.admits(id, issuedAt, until, epoch(r));
  }

  /** A claim's answer: whether it was the first use, and (only then) what the rate limits said. */
  public record Claim(boolean firstUse, RateLimitOutcome limits) {}

  /**
   * Claims {@code id} and, when it is the first use, counts {@code charges} in the same script
   * call: one round trip per verified request with or without rate limits. Fails with
   * {@code UNAVAILABLE} (the request is refused, limits or not) or {@code STALE}.
   */
  public Future<Claim> claimAsync(String id, Instant issuedAt, Instant until, List<Charge> charges) {
    if (charges.isEmpty()) {
      return firstUseAsync(id, issuedAt, until).map(first -> new Claim(first, RateLimitOutcome.NONE));
    }
    return redis.sendAsync(claim(claimAndLimit, id, issuedAt, until, charges)).compose(answer -> {
      try {
        if (!answer(answer)) {
          return Future.succeededFuture(new Claim(false, RateLimitOutcome.NONE));
        }
        RateLimitOutcome limits = outcome(charges, answer, 3);
        return windowed(id, issuedAt, until, answer).map(first -> new Claim(first, first ? limits : RateLimitOutcome.NONE));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** Counts {@code charges} alone (for a credential that is not single use); {@code UNAVAILABLE} when Redis cannot answer. */
  public Future<RateLimitOutcome> limitAsync(List<Charge> charges) {
    if (charges.isEmpty()) {
      return Future.succeededFuture(RateLimitOutcome.NONE);
    }
    Request r = limit.call(charges.size());
    RedisRateLimitScript.keys(prefix, charges).forEach(r::arg);
    RedisRateLimitScript.args(charges).forEach(r::arg);
    return redis.sendAsync(r).compose(answer -> {
      try {
        return Future.succeededFuture(outcome(charges, answer, 0));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private static RateLimitOutcome outcome(List<Charge> charges, Response answer, int from) throws VerificationException {
    if (answer == null) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter gave no answer");
    }
    List<Long> numbers = new ArrayList<>(answer.size());
    for (int i = 0; i < answer.size(); i++) {
      numbers.add(answer.get(i).toLong());
    }
    try {
      return RedisRateLimitScript.outcome(charges, numbers, from);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter gave no whole answer");
    }
  }

  private Request claim(String id, Instant issuedAt, Instant until) {
    return claim(claim, id, issuedAt, until, List.of());
  }

  /** EVALSHA takes every key before every argument: the epoch, the mark, the limiters; then theirs. */
  private Request claim(RedisScript script, String id, Instant issuedAt, Instant until, List<Charge> charges) {
    long now = clock.millis();
    long ttl = Math.max(1, until.toEpochMilli() - now);
    Request r = script.call(2 + charges.size()).arg(prefix + RedisReplayScript.EPOCH_KEY).arg(prefix + id);
    RedisRateLimitScript.keys(prefix, charges).forEach(r::arg);
    r.arg(issuedAt.toEpochMilli()).arg(ttl).arg(now);
    RedisRateLimitScript.args(charges).forEach(r::arg);
    return r;
  }

  /** The start (ms) of the epoch a claim's answer was given in. */
  private static long epoch(Response r) {
    return Long.parseLong(r.get(1).toString());
  }

  private boolean answer(Response r) throws VerificationException {
    if (r == null || r.size() < 3) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store gave no answer");
    }
    if (r.get(2).toInteger() == 1) {
      epochBegan.accept(Long.parseLong(r.get(1).toString()));
    }
    return RedisReplayScript.firstUse(r.get(0).toLong());
  }
}
