package dev.signet.spring;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimiter;
import dev.signet.limits.RedisRateLimitScript;
import dev.signet.replay.RedisKeys;
import dev.signet.replay.RedisReplayScript;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay cache in Redis, as {@code signet serve} keeps it ({@link RedisReplayScript}, {@link
 * RedisKeys}): one atomic script per token checks the replay epoch and sets the token's mark with
 * {@code NX PX ttl}, so that of every instance (and every {@code signet serve} node) sharing the
 * Redis exactly one accepts a token, and none accepts after a failover a token issued before it.
 * One Redis ({@link #LettuceReplayStore(String, String, Clock)}) or a Redis Cluster ({@link
 * #cluster}), where marks and epochs are per hash slot. Redis that cannot answer is {@code
 * UNAVAILABLE}: refused, never accepted.
 *
 * <p>Its {@link #rateLimiter()} keeps rate limits where {@code signet serve} keeps them ({@link RedisRateLimitScript}),
 * so every instance counts one limit; Redis that cannot answer refuses the request (503) there too.
 */
public final class LettuceReplayStore implements ReplayStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LettuceReplayStore.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisScriptingAsyncCommands<String, String> commands;
  private final RedisKeys keys;
  private final Clock clock;
  /** Each script's SHA-1, computed once. */
  private final java.util.Map<String, String> shas = java.util.Map.of(
      RedisReplayScript.CURRENT, RedisReplayScript.sha1(RedisReplayScript.CURRENT),
      RedisReplayScript.CLAIM, RedisReplayScript.sha1(RedisReplayScript.CLAIM),
      RedisRateLimitScript.LIMIT, RedisReplayScript.sha1(RedisRateLimitScript.LIMIT));
  private volatile long spreadAt = Long.MIN_VALUE / 2;

  /** One Redis at {@code url}. */
  public LettuceReplayStore(String url, String prefix, Clock clock) {
    this(standalone(url), RedisKeys.standalone(prefix), clock);
  }

  /**
   * The Redis Cluster that {@code nodes} ({@code host:port}) belong to. Lettuce follows {@code MOVED}
   * and {@code ASK} and reads the slot map again every second and on each redirection.
   */
  public static LettuceReplayStore cluster(List<String> nodes, String prefix, Clock clock) {
    RedisKeys keys;
    try {
      keys = RedisKeys.cluster(prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("signet.replay.prefix: " + e.getMessage(), e);
    }
    List<RedisURI> uris = nodes.stream().map(n -> RedisURI.create("redis://" + n)).toList();
    RedisClusterClient client = RedisClusterClient.create(uris);
    client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
        .enablePeriodicRefresh(Duration.ofSeconds(1)).enableAllAdaptiveRefreshTriggers().build()).build());
    client.setDefaultTimeout(TIMEOUT);
    try {
      StatefulRedisClusterConnection<String, String> c = client.connect();
      return new LettuceReplayStore(new Opened(client, c, c.async()), keys, clock);
    } catch (RedisException e) {
      client.shutdown();
      throw new IllegalStateException("signet.replay.nodes: cannot connect to the Redis Cluster: " + e.getMessage(), e);
    }
  }

  private record Opened(AbstractRedisClient client, StatefulConnection<String, String> connection,
      RedisScriptingAsyncCommands<String, String> commands) {}

  private static Opened standalone(String url) {
    RedisClient client = RedisClient.create(url);
    client.setDefaultTimeout(TIMEOUT);
    try {
      StatefulRedisConnection<String, String> c = client.connect();
      return new Opened(client, c, c.async());
    } catch (RedisException e) {
      client.shutdown();
      throw new IllegalStateException("signet.replay.url: cannot connect to Redis: " + e.getMessage(), e);
    }
  }

  private LettuceReplayStore(Opened opened, RedisKeys keys, Clock clock) {
    this.client = opened.client();
    this.connection = opened.connection();
    this.commands = opened.commands();
    this.keys = keys;
    this.clock = clock;
    // Begin (or join) the epochs now, so that this instance's first claims are not the ones refused.
    try {
      everySlot(null, null);
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
    RedisKeys.Claim at = keys.claim(id);
    List<Object> answer = epochAnswer(run(RedisReplayScript.CLAIM, new String[] {at.epoch(), at.mark()},
        Long.toString(issuedAt.toEpochMilli()), Long.toString(ttl), Long.toString(clock.millis())));
    if (Long.valueOf(1).equals(answer.get(2))) {
      LOG.warn("replay epoch began at {}: the Redis primary changed (failover or restart) or its epoch key was gone; "
          + "tokens issued before then whose marks lived there are refused as stale", Instant.ofEpochMilli(Long.parseLong(String.valueOf(answer.get(1)))));
      spread(at.epoch());
    }
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
    try {
      List<Long> numbers = new ArrayList<>();
      // On a cluster each limiter lives in its own slot: a call each, in order, stopping at the first refusal as the script does.
      List<List<Charge>> calls = keys.cluster() ? charges.stream().map(List::of).toList() : List.of(charges);
      for (List<Charge> call : calls) {
        List<Long> answer = run(RedisRateLimitScript.LIMIT, RedisRateLimitScript.keys(keys.prefix(), call).toArray(new String[0]),
            RedisRateLimitScript.args(call).toArray(new String[0]));
        numbers.addAll(answer);
        if (answer.size() >= 4 && answer.get(0) == 0) {
          break;
        }
      }
      return RedisRateLimitScript.outcome(charges, numbers, 0);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "rate limiter unavailable");
    }
  }

  /** {@code CURRENT} on every epoch key (one, or one per slot), a few hundred at a time; with a hint after a failover. */
  private List<List<Object>> everySlot(String hintMs, String hintId) throws VerificationException {
    List<String> epochs = keys.epochs();
    List<List<Object>> answers = new ArrayList<>(epochs.size());
    for (int from = 0; from < epochs.size(); from += 512) {
      List<String[]> args = new ArrayList<>();
      List<RedisFuture<List<Object>>> calls = new ArrayList<>();
      for (String key : epochs.subList(from, Math.min(epochs.size(), from + 512))) {
        String now = Long.toString(clock.millis());
        String[] a = hintMs == null ? new String[] {"0", "0", now} : new String[] {"0", "0", now, hintMs, hintId};
        args.add(a);
        calls.add(commands.evalsha(shas.get(RedisReplayScript.CURRENT), ScriptOutputType.MULTI, new String[] {key}, a));
      }
      for (int i = 0; i < calls.size(); i++) {
        answers.add(epochAnswer(answer(calls.get(i), RedisReplayScript.CURRENT, new String[] {epochs.get(from + i)}, args.get(i))));
      }
    }
    long began = answers.stream().filter(a -> Long.valueOf(1).equals(a.get(2))).count();
    if (began > 0) {
      LOG.info("replay epochs begun in {} of {} epoch keys{}", began, epochs.size(), hintMs == null ? "" : " (a failover's, spread)");
    }
    return answers;
  }

  /**
   * A claim began the epoch of its slot: on a cluster (a failover), the other slots the same
   * primary took over begin theirs at the same moment, as {@code signet serve} does; at most once
   * in 5 s, on this thread (a first claim after a failover waits ~0.5 s for it).
   */
  private void spread(String epochKey) {
    if (!keys.cluster() || clock.millis() - spreadAt < 5000) {
      return;
    }
    spreadAt = clock.millis();
    try {
      List<Object> began = epochAnswer(run(RedisReplayScript.CURRENT, new String[] {epochKey}, "0", "0", Long.toString(clock.millis())));
      everySlot(String.valueOf(began.get(1)), String.valueOf(began.get(3)));
    } catch (VerificationException e) {
      spreadAt = clock.millis() - 4500; // some slot did not answer: again at the next epoch begun, half a second on
      LOG.warn("spreading a new replay epoch over the cluster's slots failed; each slot begins its own at its next claim");
    }
  }

  /** A {@code CURRENT} or {@code CLAIM} answer, whole. */
  private static List<Object> epochAnswer(List<Object> answer) throws VerificationException {
    if (answer == null || answer.size() < 3) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store gave no answer");
    }
    return answer;
  }

  /**
   * {@code EVALSHA}, the script's body crossing the network and hashed by Redis only when Redis
   * does not hold it ({@code NOSCRIPT}: first use, a restart, a failover, a slot's new primary):
   * then {@code EVAL}, which loads it. On a cluster Lettuce sends both to the primary of the first key's slot.
   */
  private <T> T run(String script, String[] keys, String... args) throws VerificationException {
    return answer(commands.evalsha(shas.get(script), ScriptOutputType.MULTI, keys, args), script, keys, args);
  }

  /** The answer to an {@code EVALSHA} sent, or to the {@code EVAL} sent after its {@code NOSCRIPT}. */
  private <T> T answer(RedisFuture<T> bySha, String script, String[] keys, String[] args) throws VerificationException {
    try {
      try {
        return bySha.get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)) {
          throw e;
        }
        RedisFuture<T> byBody = commands.eval(script, ScriptOutputType.MULTI, keys, args);
        return byBody.get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException | RedisException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(Failure.UNAVAILABLE, "interrupted while asking the replay store");
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
