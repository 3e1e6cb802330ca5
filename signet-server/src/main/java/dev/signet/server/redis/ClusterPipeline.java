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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event loop's connection to a Redis Cluster. The script calls its requests make during one
 * turn of the loop leave together, one batch per primary (as {@link LoopPipeline} does on one
 * Redis), grouped by the slot map this pipeline reads ({@link SlotOwners}); the first batch to a
 * primary loads the scripts there. The Vert.x client sends each batch to the primary of its keys
 * and follows {@code MOVED}, {@code ASK} and {@code TRYAGAIN} for single commands.
 *
 * <p>A batch answers whole or fails whole: when Redis refuses some of its commands (a slot moved
 * or moving), those are sent again one by one (redirections followed), and those it ran have lost
 * their answers: they fail {@code UNAVAILABLE} (503; their tokens are spent, as after any 503) rather
 * than be sent twice and refused as replays. That happens only while the slot map changes.
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
  /** One refused command of a failed batch, as the Vert.x client reports it: "ERR [index] REASON ...". */
  private static final Pattern REFUSED = Pattern.compile("\\[(\\d+)] (MOVED|ASK|TRYAGAIN|CLUSTERDOWN|NOSCRIPT)");

  /** A command of this turn; {@code slot} -1 for one that is sent alone. */
  private record Pending(Request request, Supplier<Request> byBody, int slot, Promise<Response> answer) {}

  private final Redis redis;
  private final Duration timeout;
  private final Clock clock;
  private final Context loop;
  private final List<RedisScript> scripts;
  private final SlotOwners owners;
  /** Primaries (by node id) known to hold every script. */
  private final Set<String> loaded = new HashSet<>();
  private Future<RedisConnection> connection;
  private boolean replacing;
  private long triedAt = Long.MIN_VALUE / 2;
  private List<Pending> pending = new ArrayList<>();

  /** Create on the event loop it serves. */
  ClusterPipeline(Redis redis, Duration timeout, Clock clock, List<RedisScript> scripts) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
    this.scripts = scripts;
    this.loop = Vertx.currentContext();
    this.owners = new SlotOwners(clock);
  }

  /**
   * The answer to {@code request} (whose keys are in {@code slot}, or -1: sent alone); when Redis
   * answers {@code NOSCRIPT} and {@code byBody} is given, the answer to that instead. Fails with
   * {@code UNAVAILABLE} after the timeout.
   */
  Future<Response> send(Request request, Supplier<Request> byBody, int slot) {
    if (pending.isEmpty()) {
      loop.runOnContext(v -> flush());
    }
    Promise<Response> answer = Promise.promise();
    pending.add(new Pending(request, byBody, slot, answer));
    // Bounded even while a connection is still being made (a host that does not answer a connect).
    return answer.future().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> Future.failedFuture(t instanceof VerificationException ? t : unavailable()));
  }

  private void flush() {
    List<Pending> turn = pending;
    pending = new ArrayList<>();
    Future<RedisConnection> used = connection();
    used.onComplete(made -> {
      if (made.failed()) {
        turn.forEach(p -> p.answer.fail(unavailable()));
        replace(used);
        return;
      }
      RedisConnection c = made.result();
      owners.refreshIfDue(c);
      Map<String, List<Pending>> byPrimary = new LinkedHashMap<>();
      for (Pending p : turn) {
        String primary = p.slot < 0 ? null : owners.primaryOf(p.slot);
        if (primary == null) {
          alone(used, c, p);
        } else {
          byPrimary.computeIfAbsent(primary, k -> new ArrayList<>()).add(p);
        }
      }
      byPrimary.forEach((primary, group) -> {
        if (group.size() == 1 && loaded.contains(primary)) {
          alone(used, c, group.get(0));
        } else {
          batch(used, c, primary, group, false);
        }
      });
    });
  }

  /** One command by itself: redirections followed by the client; {@code NOSCRIPT} answered by the body. */
  private void alone(Future<RedisConnection> used, RedisConnection c, Pending p) {
    c.send(p.request).recover(t -> p.byBody != null && RedisScript.noScript(t) ? c.send(p.byBody.get()) : Future.failedFuture(t))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            p.answer.complete(done.result());
          } else {
            failed(used, done.cause());
            p.answer.fail(unavailable());
          }
        });
  }

  /** One primary's commands of this turn in one batch, the scripts loaded first where it may not hold them. */
  private void batch(Future<RedisConnection> used, RedisConnection c, String primary, List<Pending> group, boolean reloading) {
    List<Request> requests = new ArrayList<>(scripts.size() + group.size());
    boolean load = !loaded.contains(primary);
    if (load) {
      requests.addAll(RedisScript.loads(scripts)); // keyless: they go where the batch goes
    }
    int skip = requests.size();
    group.forEach(p -> requests.add(p.request));
    c.batch(requests).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).onComplete(done -> {
      if (done.succeeded()) {
        if (load) {
          loaded.add(primary);
        }
        for (int i = 0; i < group.size(); i++) {
          group.get(i).answer.complete(done.result().get(skip + i));
        }
        return;
      }
      String message = String.valueOf(done.cause().getMessage());
      if (message.contains("(CROSSSLOT)")) {
        // The client's slot map is not ours yet: it refused before sending anything.
        owners.refreshNow(c);
        group.forEach(p -> alone(used, c, p));
        return;
      }
      Set<Integer> refused = new HashSet<>();
      boolean onlyNoScript = true;
      Matcher m = REFUSED.matcher(message);
      while (m.find()) {
        refused.add(Integer.parseInt(m.group(1)));
        onlyNoScript &= m.group(2).equals("NOSCRIPT");
      }
      if (refused.isEmpty()) {
        failed(used, done.cause());
        group.forEach(p -> p.answer.fail(unavailable()));
        return;
      }
      if (onlyNoScript && refused.size() == group.size() && !reloading) {
        // The primary lost its scripts (restarted, flushed): none ran; load them and send the batch again.
        loaded.remove(primary);
        batch(used, c, primary, group, true);
        return;
      }
      owners.refreshNow(c);
      for (int i = 0; i < group.size(); i++) {
        if (refused.contains(skip + i)) {
          alone(used, c, group.get(i)); // not run: sent again, its redirection followed
        } else {
          group.get(i).answer.fail(unavailable()); // run, its answer lost with the batch
        }
      }
    });
  }

  /** Redis's own error (a script's, a redirection exhausted) says the connection works; anything else may be the connection's. */
  private void failed(Future<RedisConnection> used, Throwable t) {
    if (!(t instanceof Response)) {
      replace(used);
    }
  }

  private static VerificationException unavailable() {
    return new VerificationException(Failure.UNAVAILABLE, "replay store unavailable");
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
        loaded.clear();
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
