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
  // and `began` 1 if this call began it. A new epoch begins now, unless `hint` (CURRENT's) names
  // when this very primary's epoch began in another slot and this one's key was its former
  // primary's (replid2: this node was promoted from it): then it begins then, not at its first claim.
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
        if hint and held and id == ARGV[5] then
          local at2 = string.find(info, 'master_replid2:', 1, true)
          if at2 and string.sub(held, 1, 40) == string.sub(info, at2 + 15, at2 + 54) then
            epoch = math.max(tonumber(ARGV[4]), previous + 1)
          end
        end
        ms = string.format('%.0f', epoch)
        redis.call('SET', KEYS[1], id .. ':' .. ms)
        began = 1
      end
      """;

  /**
   * KEYS: the epoch key, the mark. ARGV: the credential's issue time (ms), the mark's ttl (ms), the
   * caller's clock (ms). Returns {@code {1 first use | 0 replay | -1 stale, epoch start ms, began 0|1}}.
   */
  public static final String CLAIM = "local hint = false\n" + EPOCH + """
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
  public static final String CLAIM_AND_LIMIT = "local hint = false\n" + EPOCH + RedisRateLimitScript.FUNCTION + """
      if tonumber(ARGV[1]) <= epoch then return {-1, ms, began} end
      if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {0, ms, began} end
      return limits({1, ms, began}, 3, 4)
      """;

  /**
   * KEYS: the epoch key. ARGV: two unused values, the caller's clock (ms), and optionally a hint:
   * an epoch start (ms) and the replication id of the primary it began on. Begins an epoch unless
   * the Redis answering has one (at a node's start, so that its first claims are not the ones
   * refused); returns {@code {1, epoch start ms, began 0|1, replication id}}.
   *
   * <p>The hint is for Redis Cluster, where each slot has its epoch: after a failover the first
   * claim in one of the promoted replica's slots begins that slot's epoch, and the client then
   * calls this on every slot with that start and that replica's id, so that the replica's other
   * slots begin theirs at the same moment rather than each at its first claim (which would refuse
   * the first token of thousands of slots). Only a slot whose key names the primary this one was
   * promoted from ({@code master_replid2}) takes it: a slot whose key is gone, or that another
   * primary's failover or restart concerns, begins now as without a hint.
   */
  public static final String CURRENT = "local hint = ARGV[5] ~= nil\n" + EPOCH + "return {1, ms, began, id}\n";

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
