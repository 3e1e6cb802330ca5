package dev.signet.replay;

import dev.signet.limits.RedisRateLimitScript;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;

/**
 * The replay claim every Signet Redis client runs ({@code signet serve}'s and the Spring starter's),
 * so that they share marks and the replay epoch: one Lua script that sets {@code prefix + id} with
 * {@code NX PX ttl}, so of all nodes racing with the same token exactly one wins.
 *
 * <p>Replication is asynchronous: a primary can acknowledge a mark and fail before its replica has
 * it, and a restarted Redis has lost what it had not saved. So the same script keeps a <em>replay
 * epoch</em>: {@code prefix + "epoch"} holds the primary's replication id and the moment the epoch
 * began. When the Redis answering is not the one that began the epoch (a promoted replica, or any
 * restart: both take a new replication id) or the key is gone, that claim begins a new epoch, now;
 * and every credential issued at or before the epoch's start is refused ({@code STALE}). The check
 * and the claim are one atomic step: there is no moment in which a node has not yet noticed.
 */
public final class RedisReplayScript {
  /** The epoch's key, after the deployment's prefix. */
  public static final String EPOCH_KEY = "epoch";

  // KEYS[1]: the epoch key; ARGV[3]: the caller's clock, ms. Leaves the epoch's start in `epoch`,
  // and `began` 1 if this call began it.
  // A replication id is 40 hex digits: found and compared as plain text, no patterns per call; the
  // epoch's digits are returned as stored.
  private static final String EPOCH = """
      local info = redis.call('INFO', 'replication')
      local at = string.find(info, 'master_replid:', 1, true)
      local id = string.sub(info, at + 14, at + 53)
      local held = redis.call('GET', KEYS[1])
      local began = 0
      local epoch, ms
      if held and string.sub(held, 1, 40) == id and string.byte(held, 41) == 58 then
        ms = string.sub(held, 42)
        epoch = tonumber(ms)
      else
        local t = redis.call('TIME')
        local previous = held and tonumber(string.match(held, ':(%d+)$')) or 0
        epoch = math.max(tonumber(ARGV[3]), tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), previous + 1)
        ms = string.format('%.0f', epoch)
        redis.call('SET', KEYS[1], id .. ':' .. ms)
        began = 1
      end
      """;

  /**
   * KEYS: the epoch key, the mark. ARGV: the credential's issue time (ms), the mark's ttl (ms), the
   * caller's clock (ms). Returns {@code {1 first use | 0 replay | -1 stale, epoch start ms, began 0|1}}.
   */
  public static final String CLAIM = EPOCH + """
      if tonumber(ARGV[1]) <= epoch then return {-1, ms, began} end
      if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {1, ms, began} end
      return {0, ms, began}
      """;

  /**
   * {@link #CLAIM} and, for a first use, the rate limits in the same call (one round trip per
   * request): KEYS: the epoch key, the mark, then the limiter keys; ARGV: as {@link #CLAIM}'s, then
   * {@link RedisRateLimitScript#args}. Returns {@link #CLAIM}'s three numbers, then four per limit
   * decided ({@link RedisRateLimitScript}); a replay or a stale token counts against no limit.
   */
  public static final String CLAIM_AND_LIMIT = EPOCH + RedisRateLimitScript.FUNCTION + """
      if tonumber(ARGV[1]) <= epoch then return {-1, ms, began} end
      if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {0, ms, began} end
      return limits({1, ms, began}, 3, 4)
      """;

  /**
   * KEYS: the epoch key. ARGV: two unused values, the caller's clock (ms). Begins an epoch unless the
   * Redis answering has one (at a node's start, so that its first claims are not the ones refused);
   * returns {@code {1, epoch start ms, began 0|1}}.
   */
  public static final String CURRENT = EPOCH + "return {1, ms, began}\n";

  private RedisReplayScript() {}

  /** The SHA-1 of {@code script} in hex: the name {@code EVALSHA} calls a loaded script by. */
  public static String sha1(String script) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /** The claim's answer code as {@link ReplayStore#firstUse}'s: true, false, or {@code STALE}. */
  public static boolean firstUse(long code) throws VerificationException {
    if (code == 1) {
      return true;
    }
    if (code == 0) {
      return false;
    }
    throw new VerificationException(Failure.STALE,
        "token issued before the replay store's primary changed (failover or restart); sign a new one");
  }
}
