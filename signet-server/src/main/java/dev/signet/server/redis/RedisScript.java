package dev.signet.server.redis;

import dev.signet.replay.RedisReplayScript;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}), as Redis names a loaded script: the body
 * crosses the network and is hashed by Redis once per connection ({@link RedisConnection} loads
 * every script it made on each new connection, and again on {@code NOSCRIPT}), not once per call.
 * On Redis Cluster a script cannot be loaded on the node a slot will move to or fail over to:
 * there a {@code NOSCRIPT} is answered by the same call as {@code EVAL}, which loads it.
 */
public record RedisScript(String body, String sha) {
  static RedisScript of(String body) {
    return new RedisScript(body, RedisReplayScript.sha1(body));
  }

  /** A call with {@code keys} keys: the caller adds the keys, then the arguments. */
  public Call call(int keys) {
    return new Call(this, keys);
  }

  /** {@code SCRIPT LOAD} of each of {@code scripts}, in order. */
  static List<Request> loads(List<RedisScript> scripts) {
    return scripts.stream().map(s -> Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.body)).toList();
  }

  /** Whether {@code t} is Redis saying it does not hold a script (its cache was emptied). */
  static boolean noScript(Throwable t) {
    return t != null && t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
  }

  /** One call of a script: its keys, then its arguments, as {@code EVALSHA} or {@code EVAL}. */
  public static final class Call {
    private final RedisScript script;
    private final int keys;
    private final List<String> args = new ArrayList<>(8);

    private Call(RedisScript script, int keys) {
      this.script = script;
      this.keys = keys;
    }

    public Call arg(Object value) {
      args.add(String.valueOf(value));
      return this;
    }

    /** The hash slot of the first key on a Redis Cluster (Signet's calls keep all their keys in one), or -1 without keys. */
    int slot() {
      return keys == 0 ? -1 : dev.signet.replay.RedisKeys.keySlot(args.get(0));
    }

    /** {@code EVALSHA sha numkeys keys... args...}. */
    Request bySha() {
      return with(Request.cmd(Command.EVALSHA).arg(script.sha));
    }

    /** {@code EVAL body numkeys keys... args...}: after {@code NOSCRIPT}. */
    Request byBody() {
      return with(Request.cmd(Command.EVAL).arg(script.body));
    }

    private Request with(Request r) {
      r.arg(keys);
      args.forEach(r::arg);
      return r;
    }
  }
}
