package dev.signet.server.redis;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's own connection to Redis. The commands its requests send during one turn of the
 * loop leave together, in one write, once the turn's other work is done; Redis then reads and
 * answers them together too. One write and one read per turn instead of per command is most of
 * what a replay claim costs the node and Redis under load. Used from its event-loop thread only
 * (the connection's handlers run there as well), so it needs no locks.
 */
final class LoopPipeline {
  private final Redis redis;
  private final Duration timeout;
  private final Context loop;
  private final List<RedisScript> scripts;
  private Future<RedisConnection> connection;
  private List<Request> pending = new ArrayList<>();
  private List<Promise<Response>> waiting = new ArrayList<>();

  /** Create on the event loop it serves. */
  LoopPipeline(Redis redis, Duration timeout, List<RedisScript> scripts) {
    this.redis = redis;
    this.timeout = timeout;
    this.scripts = scripts;
    this.loop = Vertx.currentContext();
  }

  /** Queues the command for the end of this turn; fails with {@code UNAVAILABLE} after the timeout. */
  Future<Response> send(Request request) {
    if (pending.isEmpty()) {
      loop.runOnContext(v -> flush());
    }
    Promise<Response> answer = Promise.promise();
    pending.add(request);
    waiting.add(answer);
    return answer.future();
  }

  private void flush() {
    List<Request> requests = pending;
    List<Promise<Response>> answers = waiting;
    pending = new ArrayList<>();
    waiting = new ArrayList<>();
    Future<RedisConnection> used = connection();
    // A turn whose scripts Redis no longer holds (restarted, or SCRIPT FLUSH) fails whole with
    // NOSCRIPT: load them on this connection and send the turn once more.
    used.compose(c -> write(c, requests).recover(t -> RedisScript.noScript(t) ? load(c).compose(v -> write(c, requests)) : Future.failedFuture(t)))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.failed()) {
            forget(used);
            answers.forEach(a -> a.fail(new VerificationException(Failure.UNAVAILABLE, "replay store unavailable")));
          } else {
            for (int i = 0; i < answers.size(); i++) {
              answers.get(i).complete(done.result().get(i));
            }
          }
        });
  }

  private static Future<List<Response>> write(RedisConnection c, List<Request> requests) {
    return requests.size() == 1 ? c.send(requests.get(0)).map(Collections::singletonList) : c.batch(requests);
  }

  /** SCRIPT LOAD of every script, on {@code c}: before its first use, and after NOSCRIPT. */
  private Future<RedisConnection> load(RedisConnection c) {
    List<Request> loads = RedisScript.loads(scripts);
    return loads.isEmpty() ? Future.succeededFuture(c) : c.batch(loads).map(c);
  }

  private Future<RedisConnection> connection() {
    if (connection == null) {
      Future<RedisConnection> made = redis.connect().compose(c -> load(c).onFailure(t -> c.close()));
      // The handlers run on the connection's context, which a reused pooled connection may have on another loop.
      made.onSuccess(c -> c.exceptionHandler(t -> loop.runOnContext(v -> forget(made)))
          .endHandler(v -> loop.runOnContext(w -> forget(made))));
      connection = made;
    }
    return connection;
  }

  /** Drops a connection that failed or did not answer in time: the next turn connects anew. */
  private void forget(Future<RedisConnection> failed) {
    if (connection == failed) {
      connection = null;
      failed.onSuccess(RedisConnection::close);
    }
  }

  /** Gives the connection back; called when the node stops. */
  void close() {
    Future<RedisConnection> current = connection;
    if (current != null) {
      current.onSuccess(RedisConnection::close);
    }
  }
}
