package dev.signet.server.health;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.server.auth.Verifications;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /admin/stats} answers and the console plots, read once a second: counts since
 * start by scheme and outcome (the client takes differences), latency percentiles, replay store fill, open WebSocket connections,
 * 429s by rate limit and throttle.
 */
public final class Stats {
  private final Clock clock;
  private final Verifications verifications;
  private final ReplayStore replay;
  private final String replayType;
  private final String storeType;
  private final BooleanSupplier storeUp;
  private final String ed25519;
  private final Supplier<Map<String, Integer>> openWebSockets;
  private final Supplier<Map<String, Object>> limits;

  /**
   * @param openWebSockets relayed WebSocket connections open now, by scheme
   * @param limits 429s since start: {@code rate_limited} by policy, {@code throttled}, {@code throttled_addresses} now
   */
  public Stats(Clock clock, Verifications verifications, ReplayStore replay, String replayType, String storeType, BooleanSupplier storeUp,
      String ed25519, Supplier<Map<String, Integer>> openWebSockets, Supplier<Map<String, Object>> limits) {
    this.clock = clock;
    this.verifications = verifications;
    this.replay = replay;
    this.replayType = replayType;
    this.storeType = storeType;
    this.storeUp = storeUp;
    this.ed25519 = ed25519;
    this.openWebSockets = openWebSockets;
    this.limits = limits;
  }

  public Map<String, Object> snapshot() {
    Map<String, Object> replayFill = new LinkedHashMap<>();
    replayFill.put("type", replayType);
    if (replay instanceof InMemoryReplayStore m) {
      replayFill.put("entries", m.size());
      replayFill.put("capacity", m.capacity());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at_ms", clock.millis());
    out.put("verifications", verifications.counts());
    out.put("latency", verifications.latency());
    out.put("replay", replayFill);
    out.put("store", Map.of("type", storeType, "up", storeUp.getAsBoolean()));
    out.put("crypto", Map.of("ed25519", ed25519));
    Map<String, Integer> byScheme = openWebSockets.get();
    out.put("websockets", Map.of("open", byScheme.values().stream().mapToInt(Integer::intValue).sum(), "by_scheme", byScheme));
    out.put("limits", limits.get());
    return out;
  }
}
