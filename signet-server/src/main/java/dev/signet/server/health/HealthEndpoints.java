package dev.signet.server.health;

import dev.signet.server.http.ApiError;
import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import dev.signet.server.redis.RedisConnection;
import dev.signet.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /healthz} (the store and Redis answer, and the server is not draining) and
 * {@code GET /metrics} (Prometheus text). The store's and Redis's health is also checked every
 * 5 s on a worker, for the {@code signet_store_up} and {@code signet_replay_up} gauges and
 * {@code /admin/stats}: a scrape never waits on them.
 */
public final class HealthEndpoints implements Face {
  private final Vertx vertx;
  private final Store store;
  private final RedisConnection redis;
  private final String ed25519;
  private final PrometheusMeterRegistry metrics;
  private final Replies replies;
  private volatile boolean storeUp = true;
  private volatile boolean replayUp = true;
  /** Set on SIGTERM: /healthz fails so that load balancers stop sending new requests here. */
  private volatile boolean draining;

  /**
   * @param redis the replay store's connection, null when replay is in memory
   * @param storeType {@code store.type} and @param replayType {@code replay.type}, as the gauges' tags
   * @param ed25519 the Ed25519 provider's id
   */
  public HealthEndpoints(Vertx vertx, Store store, String storeType, RedisConnection redis, String replayType, String ed25519,
      PrometheusMeterRegistry metrics, Replies replies) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.ed25519 = ed25519;
    this.metrics = metrics;
    this.replies = replies;
    Gauge.builder("signet.store.up", () -> storeUp ? 1 : 0).description("whether the store answered its last check (every 5 s)")
        .tag("type", storeType).register(metrics);
    Gauge.builder("signet.replay.up", () -> replayUp ? 1 : 0).description("whether the replay store (Redis) answered its last check (every 5 s)")
        .tag("type", replayType).register(metrics);
  }

  @Override
  public void mount(Router router) {
    router.get("/healthz").handler(ctx -> replies.blocking(ctx, this::health));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.scrape()));
    vertx.setPeriodic(5_000, t -> vertx.executeBlocking(() -> {
      storeUp = store.healthy();
      replayUp = redis == null || redis.healthy();
      return null;
    }, false));
  }

  /** The store's health as last checked. */
  public boolean storeUp() {
    return storeUp;
  }

  /** From now on {@code /healthz} answers 503, while every other route still serves. */
  public void drain() {
    draining = true;
  }

  private Map<String, Object> health() {
    if (draining) {
      throw new ApiError(503, "unavailable: shutting down");
    }
    boolean storeOk = store.healthy();
    boolean replayOk = redis == null || redis.healthy();
    if (!storeOk || !replayOk) {
      throw new ApiError(503, "unavailable: " + (storeOk ? "" : "store ") + (replayOk ? "" : "replay"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "ok");
    out.put("store", "ok");
    out.put("replay", "ok");
    out.put("crypto", Map.of("ed25519", ed25519));
    return out;
  }
}
