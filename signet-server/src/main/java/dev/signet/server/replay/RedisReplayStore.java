package dev.signet.server.replay;

import dev.signet.replay.ReplayStore;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replay cache in Redis, shared by every node: one {@code SET key 1 NX PX ttl} per credential,
 * so of all nodes racing with the same token exactly one gets {@code OK}. The key expires when the
 * credential could no longer be accepted anyway. Unreachable Redis is {@code UNAVAILABLE}: the
 * credential is refused, never accepted; the pool reconnects by itself when Redis is back.
 *
 * <p>Blocks for the answer: call it from worker threads, never from an event loop.
 */
public final class RedisReplayStore implements ReplayStore, AutoCloseable {
  private final Redis redis;
  private final String prefix;
  private final Clock clock;
  private final Duration timeout;

  public RedisReplayStore(Vertx vertx, String url, String prefix, Clock clock, Duration timeout) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(32).setMaxPoolWaiting(4096));
    this.prefix = prefix;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public boolean firstUse(String id, Instant until) throws VerificationException {
    long ttl = Math.max(1, until.toEpochMilli() - clock.millis());
    Response r = send(Request.cmd(Command.SET).arg(prefix + id).arg("1").arg("NX").arg("PX").arg(ttl));
    return r != null && "OK".equals(r.toString());
  }

  /** Whether Redis answers PING within the timeout. */
  public boolean healthy() {
    try {
      return "PONG".equals(String.valueOf(send(Request.cmd(Command.PING))));
    } catch (VerificationException e) {
      return false;
    }
  }

  private Response send(Request request) throws VerificationException {
    try {
      return redis.send(request).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationException(Failure.UNAVAILABLE, "interrupted while asking the replay store");
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
