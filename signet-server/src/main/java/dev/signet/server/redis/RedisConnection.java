package dev.signet.server.redis;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
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
 * <p>{@link #sendAsync} suits event loops; {@link #send} blocks for the answer (worker threads only).
 */
public final class RedisConnection implements AutoCloseable {
  private final Redis redis;
  private final Duration timeout;

  public RedisConnection(Vertx vertx, String url, Duration timeout) {
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(32).setMaxPoolWaiting(4096));
    this.timeout = timeout;
  }

  /** The answer, or a failure with {@code UNAVAILABLE} after the timeout. Never blocks. */
  public Future<Response> sendAsync(Request request) {
    return redis.send(request).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> Future.failedFuture(new VerificationException(Failure.UNAVAILABLE, "replay store unavailable")));
  }

  /** Waits for the answer: from worker threads only. */
  public Response send(Request request) throws VerificationException {
    try {
      return sendAsync(request).toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
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
    redis.close();
  }
}
