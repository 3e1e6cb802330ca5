package dev.signet.server.replay;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.redis.RedisConnection;
import dev.signet.store.Store;
import dev.signet.verify.VerificationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where token ids are claimed, as {@code replay.type} says: Redis (a URL, Sentinels or a cluster), shared by
 * every node, whose epochs are counted in {@code signet_replay_epochs_total}; or this node's memory,
 * bounded by {@code replay.capacity}, with its fill in gauges and a warning at 80%.
 */
public final class ReplayBackend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayBackend.class);

  private final ReplayStore store;
  private final ReplayStore graphene;
  private final ReplayStore unwrapped;
  private final RedisReplayStore redisStore;
  private final RedisConnection redis;

  private ReplayBackend(ReplayStore store, ReplayStore graphene, ReplayStore unwrapped, RedisReplayStore redisStore, RedisConnection redis) {
    this.store = store;
    this.graphene = graphene;
    this.unwrapped = unwrapped;
    this.redisStore = redisStore;
    this.redis = redis;
  }

  /**
   * @param durable where claims that a lost mark would let through again are recorded
   *     ({@link DurableClaims}, {@link EpochWindow}): the deployment's store
   * @param clockSkew how far ahead credentials may be issued: the slice after a new Redis epoch's
   *     start whose credentials are checked against those records
   */
  public static ReplayBackend open(ServerConfig.Replay config, Vertx vertx, Clock clock, MeterRegistry metrics, Store durable,
      Duration clockSkew) {
    // Recorded claims are kept only while their credential could be accepted: forgotten after that.
    vertx.setPeriodic(60_000, t -> vertx.executeBlocking(() -> durable.purgeClaims(clock.millis()), false)
        .onFailure(e -> LOG.debug("purging recorded claims failed: {}", e.getMessage())));
    if (!config.redis()) {
      InMemoryReplayStore memory = new InMemoryReplayStore(clock, capacity(config.capacity()));
      try {
        int restored = DurableClaims.restore(memory, durable, clock);
        if (restored > 0) {
          LOG.info("replay: {} claims recorded before this start restored (future-dated tokens, Graphene payloads)", restored);
        }
      } catch (VerificationException e) {
        throw new IllegalStateException("replay.capacity cannot hold the claims recorded before this start", e);
      }
      Gauge.builder("signet.replay.entries", memory, InMemoryReplayStore::size)
          .description("token ids held by the in-memory replay store").register(metrics);
      Gauge.builder("signet.replay.capacity", memory, InMemoryReplayStore::capacity)
          .description("token ids the in-memory replay store holds at most (then 503)").register(metrics);
      ReplayFill fill = new ReplayFill();
      vertx.setPeriodic(10_000, t -> fill.check(memory.size(), memory.capacity()));
      return new ReplayBackend(new DurableClaims(memory, durable, clock, false), new DurableClaims(memory, durable, clock, true), memory,
          null, null);
    }
    RedisConnection redis = config.type().equals("redis-cluster")
        ? RedisConnection.cluster(vertx, config.nodes(), Duration.ofSeconds(2))
        : config.sentinel()
            ? new RedisConnection(vertx, config.sentinels(), config.masterName(), Duration.ofSeconds(2))
            : new RedisConnection(vertx, config.url(), Duration.ofSeconds(2));
    Counter epochs = Counter.builder("signet.replay.epochs")
        .description("replay epochs this node began: a Redis primary had changed (failover or restart); on a cluster, one per slot")
        .register(metrics);
    // On a cluster a failover begins an epoch in each of the primary's thousands of slots: one warning a minute says so.
    AtomicLong warnedAt = new AtomicLong(clock.millis() - 60_000);
    AtomicLong unwarned = new AtomicLong();
    RedisReplayStore store = new RedisReplayStore(redis, config.prefix(), clock, start -> {
      epochs.increment();
      long began = unwarned.incrementAndGet();
      long last = warnedAt.get();
      if (clock.millis() - last >= 60_000 && warnedAt.compareAndSet(last, clock.millis())) {
        unwarned.addAndGet(-began);
        LOG.warn("replay epoch began at {} ({} since the last warning): a Redis primary changed (failover or restart) or an epoch key "
            + "was gone; tokens issued before then whose marks lived there are refused as stale", Instant.ofEpochMilli(start), began);
      }
    }, new EpochWindow(vertx, durable, clock, clockSkew));
    try {
      LOG.info("replay epoch in Redis began at {}", store.currentEpoch());
    } catch (VerificationException e) {
      LOG.warn("Redis does not answer yet; requests are refused (503) until it does");
    }
    return new ReplayBackend(store, store, store, store, redis);
  }

  /** Where credentials are claimed. */
  public ReplayStore store() {
    return store;
  }

  /** Where Graphene login payloads are claimed (in memory: every one also recorded, they have no {@code iat}). */
  public ReplayStore graphene() {
    return graphene;
  }

  /** The in-memory or Redis store itself: what the restart rule and the fill gauges look at. */
  public ReplayStore unwrapped() {
    return unwrapped;
  }

  /** The store when it is Redis, else null. */
  public RedisReplayStore redisStore() {
    return redisStore;
  }

  /** The Redis connection, else null. */
  public RedisConnection redis() {
    return redis;
  }

  @Override
  public void close() {
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * The configured capacity (0: what a quarter of the heap holds, at most ~64 bytes per id), never
   * more than that quarter: a full cache refuses new tokens (503), which beats running out of memory.
   */
  private static int capacity(int configured) {
    long fits = Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / 64);
    if (configured == 0) {
      LOG.info("replay.capacity {} token ids (a quarter of the {} MB heap)", fits, Runtime.getRuntime().maxMemory() >> 20);
      return (int) fits;
    }
    if (configured > fits) {
      LOG.warn("replay.capacity {} does not fit a quarter of the heap; using {} (give the JVM more memory, -Xmx)", configured, fits);
      return (int) fits;
    }
    return configured;
  }
}
