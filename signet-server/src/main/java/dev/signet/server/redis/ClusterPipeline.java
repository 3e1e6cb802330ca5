package dev.signet.server.redis;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's connection to a Redis Cluster: every command goes to the primary that owns its
 * keys' slot; the Vert.x client follows {@code MOVED} and {@code ASK} and waits out {@code TRYAGAIN}
 * (a slot moving). Commands are sent one by one: a batch would have to stay within one slot.
 *
 * <p>A primary that stops answering fails only the commands for its slots. The connection is not
 * dropped for that: a new one cannot be made while a primary in the slot map is down (the client
 * connects to all of them), so dropping it would fail every slot until the replica is promoted.
 * Instead a new connection is tried in the background, at most twice a second, and taken once made;
 * meanwhile the one in use follows the new slot map as soon as the cluster publishes it. Used from
 * its event-loop thread only.
 */
final class ClusterPipeline {
  private static final long RETRY_MS = 500;

  private final Redis redis;
  private final Duration timeout;
  private final Clock clock;
  private final Context loop;
  private Future<RedisConnection> connection;
  private boolean replacing;
  private long triedAt = Long.MIN_VALUE;

  /** Create on the event loop it serves. */
  ClusterPipeline(Redis redis, Duration timeout, Clock clock) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
    this.loop = Vertx.currentContext();
  }

  /**
   * The answer to {@code request}; when Redis answers {@code NOSCRIPT} and {@code byBody} is given,
   * the answer to that instead. Fails with {@code UNAVAILABLE} after the timeout.
   */
  Future<Response> send(Request request, Supplier<Request> byBody) {
    Future<RedisConnection> used = connection();
    return used.compose(c -> c.send(request).recover(t -> byBody != null && RedisScript.noScript(t) ? c.send(byBody.get()) : Future.failedFuture(t)))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> {
          // Redis's own error (a script's, or TRYAGAIN exhausted) says the connection works.
          if (!(t instanceof Response)) {
            replace(used);
          }
          return Future.failedFuture(new VerificationException(Failure.UNAVAILABLE, "replay store unavailable"));
        });
  }

  private Future<RedisConnection> connection() {
    if (connection == null) {
      connection = redis.connect();
    }
    return connection;
  }

  /** After a failure that may be the connection's: connect anew in the background and take it when made. */
  private void replace(Future<RedisConnection> failed) {
    if (connection != failed) {
      return;
    }
    if (failed.failed()) {
      connection = null; // never made: the next command connects
      return;
    }
    long now = clock.millis();
    if (replacing || now - triedAt < RETRY_MS) {
      return;
    }
    replacing = true;
    triedAt = now;
    redis.connect().onComplete(made -> loop.runOnContext(v -> {
      replacing = false;
      if (made.failed()) {
        return;
      }
      if (connection == failed) {
        connection = Future.succeededFuture(made.result());
        failed.result().close();
      } else {
        made.result().close();
      }
    }));
  }

  /** Gives the connection back; called when the node stops. */
  void close() {
    Future<RedisConnection> current = connection;
    if (current != null) {
      current.onSuccess(RedisConnection::close);
    }
  }
}
