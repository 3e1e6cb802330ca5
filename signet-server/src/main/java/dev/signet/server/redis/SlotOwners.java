package dev.signet.server.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;

/**
 * Which primary (by node id) owns each hash slot, from {@code CLUSTER SLOTS}: what a {@link
 * ClusterPipeline} groups a turn's commands by. Read again each second and whenever a batch finds
 * it stale; until first read, commands are sent one by one. One event loop's, like its pipeline.
 */
final class SlotOwners {
  private static final long EVERY_MS = 1000;

  private final Clock clock;
  private String[] owners = new String[0];
  private long readAt = Long.MIN_VALUE / 2;
  private boolean reading;

  SlotOwners(Clock clock) {
    this.clock = clock;
  }

  /** The node id of the primary that owns {@code slot}, or null when not known. */
  String primaryOf(int slot) {
    return slot < owners.length ? owners[slot] : null;
  }

  void refreshIfDue(RedisConnection c) {
    if (clock.millis() - readAt >= EVERY_MS) {
      refreshNow(c);
    }
  }

  void refreshNow(RedisConnection c) {
    if (reading) {
      return;
    }
    reading = true;
    readAt = clock.millis();
    Future<Response> slots = c.send(Request.cmd(Command.CLUSTER).arg("SLOTS"));
    slots.onComplete(done -> {
      reading = false;
      if (done.succeeded() && done.result() != null) {
        owners = parse(done.result());
      }
    });
  }

  /** Each entry: start, end, then the primary as {@code [host, port, node id, ...]}, then its replicas. */
  private static String[] parse(Response reply) {
    String[] parsed = new String[dev.signet.replay.RedisKeys.SLOTS];
    for (Response range : reply) {
      if (range.size() < 3 || range.get(2).size() < 3) {
        continue;
      }
      String primary = range.get(2).get(2).toString();
      for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger() && slot < parsed.length; slot++) {
        parsed[slot] = primary;
      }
    }
    return parsed;
  }
}
