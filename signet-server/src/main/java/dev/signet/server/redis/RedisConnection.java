package dev.signet.server.redis;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's Redis for its shared state (replay marks, PIN failure counters). An answer that does not
 * come within the timeout is {@code UNAVAILABLE}: callers fail closed; connections are made again
 * when Redis is back.
 *
 * <p>{@link #sendAsync} suits event loops: each loop sends through its own {@link LoopPipeline},
 * which writes a loop turn's commands together. {@link #send} blocks for the answer (worker threads
 * only) and uses a pooled connection.
 *
 * <p>On Redis Cluster ({@link #cluster}) each loop has a {@link ClusterPipeline} instead, and calls
 * from other threads go through one more, on a context of its own.
 */
public final class RedisConnection implements AutoCloseable {
  private final Redis redis;
  /** A client of its own, so that a loop's connection is made on that loop, not leased from a worker. */
  private final Redis forLoops;
  private final Duration timeout;
  private final Map<Thread, LoopPipeline> pipelines = new ConcurrentHashMap<>();
  private final List<RedisScript> scripts = new CopyOnWriteArrayList<>();
  private final boolean cluster;
  private final Map<Thread, ClusterPipeline> clusterPipelines = new ConcurrentHashMap<>();
  /** Cluster: the context that calls from worker threads are sent from, and its pipeline. */
  private final Context offLoop;
  private ClusterPipeline offLoopPipeline;

  /** One Redis at {@code url} ({@code redis://host:port}). */
  public RedisConnection(Vertx vertx, String url, Duration timeout) {
    this(vertx, new RedisOptions().setConnectionString(url), timeout);
  }

  /**
   * The primary that the Sentinels at {@code sentinels} ({@code host:port}) name for {@code masterName}:
   * every new connection asks them, so after a failover connections go to the promoted replica.
   */
  public RedisConnection(Vertx vertx, java.util.List<String> sentinels, String masterName, Duration timeout) {
    this(vertx, sentinelOptions(sentinels, masterName), timeout);
  }

  /**
   * A Redis Cluster that the nodes at {@code nodes} ({@code host:port}, any of them) belong to: its
   * slot map is read from the first that answers, and read again each second and after a
   * {@code MOVED}.
   */
  public static RedisConnection cluster(Vertx vertx, java.util.List<String> nodes, Duration timeout) {
    RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    nodes.forEach(n -> options.addConnectionString("redis://" + n));
    return new RedisConnection(vertx, options, timeout);
  }

  private RedisConnection(Vertx vertx, RedisOptions base, Duration timeout) {
    this.cluster = base.getType() == RedisClientType.CLUSTER;
    // An event-loop context of its own (Vert.x's internal API: the public one returns the caller's context).
    this.offLoop = cluster ? ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext() : null;
    this.redis = Redis.createClient(vertx, new RedisOptions(base).setMaxPoolSize(32).setMaxPoolWaiting(4096));
    // One connection per event loop (Vert.x's default count), with room for ones being replaced;
    // each carries all of its loop's claims in flight (a full queue fails closed, 503).
    this.forLoops = Redis.createClient(vertx, new RedisOptions(base)
        .setMaxPoolSize(2 * VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE).setMaxWaitingHandlers(16_384));
    this.timeout = timeout;
  }

  private static RedisOptions sentinelOptions(java.util.List<String> sentinels, String masterName) {
    RedisOptions options = new RedisOptions().setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER)
        .setMasterName(masterName).setAutoFailover(true);
    sentinels.forEach(s -> options.addConnectionString("redis://" + s));
    return options;
  }

  /** Whether this is a Redis Cluster (keys then carry hash tags: {@code RedisKeys}). */
  public boolean cluster() {
    return cluster;
  }

  /**
   * A script to call by {@link RedisScript#call}: loaded on every connection made from now on, and
   * on any connection whose Redis answers {@code NOSCRIPT} (a restart or {@code SCRIPT FLUSH}).
   */
  public RedisScript script(String body) {
    RedisScript s = RedisScript.of(body);
    scripts.add(s);
    return s;
  }

  /** The answer, or a failure with {@code UNAVAILABLE} after the timeout. Never blocks. */
  public Future<Response> sendAsync(Request request) {
    return cluster ? sendToCluster(request, null, -1) : sendOne(request);
  }

  /** A script's answer, as {@link #sendAsync}'s. */
  public Future<Response> callAsync(RedisScript.Call call) {
    return cluster ? sendToCluster(call.bySha(), call::byBody, call.slot()) : sendOne(call.bySha());
  }

  /** {@link #callAsync}, waiting: from worker threads only. */
  public Response call(RedisScript.Call call) throws VerificationException {
    return await(callAsync(call));
  }

  /** @param slot the hash slot of the request's keys, or -1 to send it alone */
  private Future<Response> sendToCluster(Request request, java.util.function.Supplier<Request> byBody, int slot) {
    if (Context.isOnEventLoopThread() && Vertx.currentContext() != null) {
      return clusterPipelines.computeIfAbsent(Thread.currentThread(), t -> new ClusterPipeline(forLoops, timeout, java.time.Clock.systemUTC(), scripts))
          .send(request, byBody, slot);
    }
    io.vertx.core.Promise<Response> answer = io.vertx.core.Promise.promise();
    offLoop.runOnContext(v -> {
      if (offLoopPipeline == null) {
        offLoopPipeline = new ClusterPipeline(forLoops, timeout, java.time.Clock.systemUTC(), scripts);
      }
      offLoopPipeline.send(request, byBody, slot).onComplete(answer);
    });
    return answer.future();
  }

  private Future<Response> sendOne(Request request) {
    // On the loop's thread itself: a worker running blocking code for a request sees that request's
    // event-loop context as current too. Keyed by thread: each HTTP request has a context of its own.
    if (Context.isOnEventLoopThread() && Vertx.currentContext() != null) {
      return pipelines.computeIfAbsent(Thread.currentThread(), t -> new LoopPipeline(forLoops, timeout, scripts)).send(request);
    }
    // A pooled connection: one that has not run a script yet answers NOSCRIPT, once; load and resend.
    return redis.send(request).recover(t -> RedisScript.noScript(t) ? loadAll(redis).compose(v -> redis.send(request)) : Future.failedFuture(t))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> Future.failedFuture(new VerificationException(Failure.UNAVAILABLE, "replay store unavailable")));
  }

  /** SCRIPT LOAD of every script made, through {@code client} (any connection: the cache is the server's). */
  private Future<Void> loadAll(Redis client) {
    List<Request> loads = RedisScript.loads(scripts);
    return loads.isEmpty() ? Future.succeededFuture() : client.batch(loads).mapEmpty();
  }

  /** Waits for the answer: from worker threads only. */
  public Response send(Request request) throws VerificationException {
    return await(sendAsync(request));
  }

  private Response await(Future<Response> answer) throws VerificationException {
    try {
      return answer.toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof VerificationException v ? v : new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    } catch (TimeoutException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(Failure.UNAVAILABLE, "interrupted while asking the replay store");
    }
  }

  /** Whether Redis answers PING within the timeout. */
  public boolean healthy() {
    try {
      return "PONG".equals(String.valueOf(send(Request.cmd(Command.PING))));
    } catch (VerificationException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pipelines.values().forEach(LoopPipeline::close);
    clusterPipelines.values().forEach(ClusterPipeline::close);
    if (offLoop != null) {
      offLoop.runOnContext(v -> {
        if (offLoopPipeline != null) {
          offLoopPipeline.close();
        }
      });
    }
    forLoops.close();
    redis.close();
  }
}
