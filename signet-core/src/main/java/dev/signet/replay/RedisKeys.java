package dev.signet.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Signet's state lives in Redis, under a deployment's prefix: the same names for every Signet
 * client ({@code signet serve}'s and the Spring starter's), so that they share it.
 *
 * <p>On one Redis (or a Sentinel-watched pair) a mark is {@code prefix + id}, checked against the
 * one epoch key {@code prefix + "epoch"}. On Redis Cluster a script may touch keys of one hash slot
 * only, and a failover concerns only the slots of the primary that failed; so there is an epoch key
 * per slot and every key carries a hash tag that puts it in the slot its id hashes to:
 * {@code prefix + "{" + tag + "}" + id} and {@code prefix + "{" + tag + "}epoch"}, where the tag is
 * a short string Redis hashes to that slot. The marks of a slot and their epoch key then live on one
 * primary, move together when the slot is resharded, and begin a new epoch when that primary, and
 * only that one, changes. A PIN's failure counter and lock share a slot the same way.
 */
public final class RedisKeys {
  /** Redis Cluster's hash slots. */
  public static final int SLOTS = 16_384;

  private final String prefix;
  private final boolean cluster;

  private RedisKeys(String prefix, boolean cluster) {
    this.prefix = prefix;
    this.cluster = cluster;
  }

  /** One Redis, or a Sentinel-watched pair: the names Signet has always used. */
  public static RedisKeys standalone(String prefix) {
    return new RedisKeys(prefix, false);
  }

  /**
   * Redis Cluster.
   *
   * @throws IllegalArgumentException for a prefix with a brace: its hash tag would put every key in one slot
   */
  public static RedisKeys cluster(String prefix) {
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("a Redis Cluster key prefix cannot hold { or }: it would put every key in one hash slot");
    }
    return new RedisKeys(prefix, true);
  }

  public boolean cluster() {
    return cluster;
  }

  /** The keys one claim touches: the epoch it is checked against and the mark it sets. */
  public record Claim(String epoch, String mark) {}

  public Claim claim(String id) {
    if (!cluster) {
      return new Claim(prefix + RedisReplayScript.EPOCH_KEY, prefix + id);
    }
    String tagged = tagged(slot(id));
    return new Claim(tagged + RedisReplayScript.EPOCH_KEY, tagged + id);
  }

  /** Every epoch key: the one, or one per slot. */
  public List<String> epochs() {
    if (!cluster) {
      return List.of(prefix + RedisReplayScript.EPOCH_KEY);
    }
    List<String> out = new ArrayList<>(SLOTS);
    for (int slot = 0; slot < SLOTS; slot++) {
      out.add(tagged(slot) + RedisReplayScript.EPOCH_KEY);
    }
    return out;
  }

  /** A user's PIN failure counter; {@link #pinLock} shares its slot. */
  public String pinFailures(String user) {
    return pinKey("pin:fail:", user);
  }

  public String pinLock(String user) {
    return pinKey("pin:lock:", user);
  }

  private String pinKey(String kind, String user) {
    return cluster ? tagged(slot(user)) + kind + user : prefix + kind + user;
  }

  /** The prefix, for keys that each live alone in a call (rate limiters: one call per limiter on a cluster). */
  public String prefix() {
    return prefix;
  }

  private String tagged(int slot) {
    return prefix + "{" + Tags.TAGS[slot] + "}";
  }

  /** The hash slot Redis Cluster gives {@code key}: that of its hash tag (the first {@code {...}} with something inside) if it has one. */
  public static int keySlot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return slot(key.substring(open + 1, close));
      }
    }
    return slot(key);
  }

  /** The hash slot Redis Cluster gives {@code key} when it holds no hash tag: CRC16 (XMODEM) mod 16384. */
  public static int slot(String key) {
    return crc16(key.getBytes(StandardCharsets.UTF_8)) & (SLOTS - 1);
  }

  static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xffff;
  }

  /** For each slot the first base-36 number Redis hashes to it: found once, ~170k CRCs of 1-4 bytes. */
  private static final class Tags {
    static final String[] TAGS = find();

    private static String[] find() {
      String[] tags = new String[SLOTS];
      int found = 0;
      for (int n = 0; found < SLOTS; n++) {
        String candidate = Integer.toString(n, 36);
        int slot = slot(candidate);
        if (tags[slot] == null) {
          tags[slot] = candidate;
          found++;
        }
      }
      return tags;
    }
  }
}
