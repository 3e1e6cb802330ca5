package dev.signet.server.redis;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pooled Vert.x Redis client for a node's shared state (replay marks, PIN failure counters).
 * An answer that does not come within the timeout is {@code UNAVAILABLE}: callers fail closed; the
 * pool reconnects by itself when Redis is back.
 *
 * <p>Blocks for the answer: call it from worker threads, never from an event loop.
 */
public final class RedisConnection implements AutoCloseable {
  private final Redis redis;
  private final Duration timeout;

  public RedisConnection(Vertx vertx, String url, Duration timeout) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(32).setMaxPoolWaiting(4096));
    this.timeout = timeout;
  }

  public Response send(Request request) throws VerificationException {
    try {
      return redis.send(request).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
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
    redis.close();
  }
}
