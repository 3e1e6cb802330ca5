package dev.signet.bench;

import dev.signet.limits.RedisRateLimitScript;
import dev.signet.replay.RedisReplayScript;
import java.util.Map;

/**
 * Prints one of Signet's Redis scripts, as every Signet client runs it, for a load generator that
 * calls it directly ({@code bench/redis-cluster-claims.sh}: {@code SCRIPT LOAD}, then EVALSHA or EVAL).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.RedisScriptBody CLAIM|CLAIM_AND_LIMIT|CURRENT|LIMIT}
 */
public final class RedisScriptBody {
  private static final Map<String, String> SCRIPTS = Map.of("CLAIM", RedisReplayScript.CLAIM,
      "CLAIM_AND_LIMIT", RedisReplayScript.CLAIM_AND_LIMIT, "CURRENT", RedisReplayScript.CURRENT, "LIMIT", RedisRateLimitScript.LIMIT);

  private RedisScriptBody() {}

  public static void main(String[] args) {
    String body = args.length == 1 ? SCRIPTS.get(args[0]) : null;
    if (body == null) {
      System.err.println("usage: RedisScriptBody " + String.join("|", SCRIPTS.keySet()));
      System.exit(2);
    }
    System.out.print(body);
  }
}
