package dev.signet.server.replay;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RedisRateLimitScript;
import dev.signet.replay.RedisKeys;
import dev.signet.replay.RedisReplayScript;
import dev.signet.replay.ReplayStore;
import dev.signet.server.redis.RedisConnection;
import dev.signet.server.redis.RedisScript;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
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
  private final RedisKeys keys;
  private final SlotEpochs epochs;
  private final Clock clock;
  private final LongConsumer epochBegan;
  private final EpochWindow window;

  /**
   * @param epochBegan hears the start (ms) of each epoch one of this node's claims began
   * @param window what the epoch cannot refuse by time, checked in the store (null: not checked)
   */
  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock, LongConsumer epochBegan, EpochWindow window) {
    this.redis = redis;
    this.keys = redis.cluster() ? RedisKeys.cluster(prefix) : RedisKeys.standalone(prefix);
    this.current = redis.script(RedisReplayScript.CURRENT);
    this.claim = redis.script(RedisReplayScript.CLAIM);
    this.claimAndLimit = redis.script(RedisReplayScript.CLAIM_AND_LIMIT);
    this.limit = redis.script(RedisRateLimitScript.LIMIT);
    this.clock = clock;
    this.epochs = new SlotEpochs(redis, current, keys, clock);
    this.epochBegan = epochBegan;
    this.window = window;
  }

  public RedisReplayStore(RedisConnection redis, String prefix, Clock clock) {
    this(redis, prefix, clock, epoch -> {}, null);
  }

  /**
   * Begins an epoch unless the Redis answering already has one: at a node's start, so that its
   * first claims are not the ones refused. Returns the epoch's start (on a cluster, where epochs
   * are per slot, the latest). Blocks: not on an event loop.
   */
  public Instant currentEpoch() throws VerificationException {
    List<Response> answers;
    try {
      answers = epochs.everySlot().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(Failure.UNAVAILABLE, "interrupted while asking the replay store");
    }
    long latest = 0;
    for (Response answer : answers) {
      answer(answer, null);
      latest = Math.max(latest, epoch(answer));
    }
    return Instant.ofEpochMilli(latest);
  }

  /** Without an issue time the credential counts as issued now: refused only if an epoch begins this instant. */
  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    return firstUse(id, clock.instant(), until);
  }

  @Override
  public boolean firstUse(String id, Instant issuedAt, Instant until) throws VerificationException {
    RedisKeys.Claim at = keys.claim(id);
    Response r = redis.call(claim(claim, at, issuedAt, until, List.of()));
    return answer(r, at) && (window == null || window.admitsBlocking(id, issuedAt, until, epoch(r)));
  }

  /** {@link #firstUse} without blocking, for event loops; fails with {@code UNAVAILABLE} or {@code STALE}. */
  public Future<Boolean> firstUseAsync(String id, Instant issuedAt, Instant until) {
    RedisKeys.Claim at = keys.claim(id);
    return redis.callAsync(claim(claim, at, issuedAt, until, List.of())).compose(r -> {
      try {
        return answer(r, at) ? windowed(id, issuedAt, until, r) : Future.succeededFuture(false);
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
   * {@code UNAVAILABLE} (the request is refused, limits or not) or {@code STALE}. On a cluster the
   * limiters live in slots of their own: the limits are counted by calls of their own after a first use.
   */
  public Future<Claim> claimAsync(String id, Instant issuedAt, Instant until, List<Charge> charges) {
    if (charges.isEmpty()) {
      return firstUseAsync(id, issuedAt, until).map(first -> new Claim(first, RateLimitOutcome.NONE));
    }
    if (keys.cluster()) {
      return firstUseAsync(id, issuedAt, until)
          .compose(first -> first ? limitAsync(charges).map(limits -> new Claim(true, limits)) : Future.succeededFuture(new Claim(false, RateLimitOutcome.NONE)));
    }
    RedisKeys.Claim at = keys.claim(id);
    return redis.callAsync(claim(claimAndLimit, at, issuedAt, until, charges)).compose(answer -> {
      try {
        if (!answer(answer, at)) {
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
    if (keys.cluster()) {
      return limitOneByOne(charges, 0, new ArrayList<>());
    }
    return redis.callAsync(limitCall(charges)).compose(answer -> {
      try {
        return Future.succeededFuture(outcome(charges, answer, 0));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** On a cluster each limiter is a call to its own slot's primary; in order, stopping at the first refusal as the script does. */
  private Future<RateLimitOutcome> limitOneByOne(List<Charge> charges, int next, List<Long> numbers) {
    return redis.callAsync(limitCall(charges.subList(next, next + 1))).compose(answer -> {
      try {
        numbers.addAll(numbers(answer, 0));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
      boolean refused = numbers.size() >= 4 && numbers.get(numbers.size() - 4) == 0;
      return refused || next + 1 == charges.size() ? decided(charges, numbers) : limitOneByOne(charges, next + 1, numbers);
    });
  }

  private RedisScript.Call limitCall(List<Charge> charges) {
    RedisScript.Call r = limit.call(charges.size());
    RedisRateLimitScript.keys(keys.prefix(), charges).forEach(r::arg);
    RedisRateLimitScript.args(charges).forEach(r::arg);
    return r;
  }

  private static Future<RateLimitOutcome> decided(List<Charge> charges, List<Long> numbers) {
    try {
      return Future.succeededFuture(limits(charges, numbers));
    } catch (VerificationException e) {
      return Future.failedFuture(e);
    }
  }

  private static RateLimitOutcome outcome(List<Charge> charges, Response answer, int from) throws VerificationException {
    return limits(charges, numbers(answer, from));
  }

  /** The decisions in {@code numbers}; an answer that is not whole is {@code UNAVAILABLE}. */
  private static RateLimitOutcome limits(List<Charge> charges, List<Long> numbers) throws VerificationException {
    try {
      return RedisRateLimitScript.outcome(charges, numbers, 0);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter gave no whole answer");
    }
  }

  /** The numbers of {@code answer} from index {@code from}. */
  private static List<Long> numbers(Response answer, int from) throws VerificationException {
    if (answer == null) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter gave no answer");
    }
    List<Long> numbers = new ArrayList<>(answer.size());
    for (int i = from; i < answer.size(); i++) {
      numbers.add(answer.get(i).toLong());
    }
    return numbers;
  }

  /** EVALSHA takes every key before every argument: the epoch, the mark, the limiters; then theirs. */
  private RedisScript.Call claim(RedisScript script, RedisKeys.Claim at, Instant issuedAt, Instant until, List<Charge> charges) {
    long now = clock.millis();
    long ttl = Math.max(1, until.toEpochMilli() - now);
    RedisScript.Call r = script.call(2 + charges.size()).arg(at.epoch()).arg(at.mark());
    RedisRateLimitScript.keys(keys.prefix(), charges).forEach(r::arg);
    r.arg(issuedAt.toEpochMilli()).arg(ttl).arg(now);
    RedisRateLimitScript.args(charges).forEach(r::arg);
    return r;
  }

  /** The start (ms) of the epoch a claim's answer was given in. */
  private static long epoch(Response r) {
    return Long.parseLong(r.get(1).toString());
  }

  /** @param at the claim's keys; null for an answer that is not a claim's */
  private boolean answer(Response r, RedisKeys.Claim at) throws VerificationException {
    if (r == null || r.size() < 3) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store gave no answer");
    }
    if (r.get(2).toInteger() == 1) {
      long began = Long.parseLong(r.get(1).toString());
      epochBegan.accept(began);
      if (at != null) {
        epochs.began(at.epoch(), began);
      }
    }
    return RedisReplayScript.firstUse(r.get(0).toLong());
  }
}
