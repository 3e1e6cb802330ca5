package dev.signet.server.redis;

import dev.signet.replay.RedisReplayScript;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}), as Redis names a loaded script: the body
 * crosses the network and is hashed by Redis once per connection ({@link RedisConnection} loads
 * every script it made on each new connection, and again on {@code NOSCRIPT}), not once per call.
 */
public record RedisScript(String body, String sha) {
  static RedisScript of(String body) {
    return new RedisScript(body, RedisReplayScript.sha1(body));
  }

  /** {@code EVALSHA sha numkeys}: the caller adds the keys, then the arguments. */
  public Request call(int keys) {
    return Request.cmd(Command.EVALSHA).arg(sha).arg(keys);
  }

  Request load() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(body);
  }

  /** Whether {@code t} is Redis saying it does not hold a script (its cache was emptied). */
  static boolean noScript(Throwable t) {
    return t != null && t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
  }
}
