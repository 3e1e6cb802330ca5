package dev.signet.server.health;

import dev.signet.server.http.Envelope;
import dev.signet.server.http.Face;
import dev.signet.server.redis.RedisConnection;
import dev.signet.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /healthz} (the store and Redis answered their last check, and the server is not
 * draining) and {@code GET /metrics} (Prometheus text). The store and Redis are checked once a
 * second on a worker, one check at a time; {@code /healthz}, the {@code signet_store_up} and
 * {@code signet_replay_up} gauges and {@code /admin/stats} read that state, so a probe is answered
 * on the event loop and never waits on, nor adds load to, the store (a probe per request measured
 * 1.9x the CPU of a bare Vert.x answer; BENCHMARKS.md).
 */
public final class HealthEndpoints implements Face {
  private final Vertx vertx;
  private final Store store;
  private final RedisConnection redis;
  private final PrometheusMeterRegistry metrics;
  /** How often the store and Redis are checked: a state at most this old, whatever the probe rate. */
  static final long CHECK_MILLIS = 1_000;

  private final byte[] okBody;
  private final AtomicBoolean checking = new AtomicBoolean();
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
      PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.metrics = metrics;
    this.okBody = Envelope.encode(Map.of("data", okData(ed25519)));
    Gauge.builder("signet.store.up", () -> storeUp ? 1 : 0).description("whether the store answered its last check (every second)")
        .tag("type", storeType).register(metrics);
    Gauge.builder("signet.replay.up", () -> replayUp ? 1 : 0).description("whether the replay store (Redis) answered its last check (every second)")
        .tag("type", replayType).register(metrics);
  }

  @Override
  public void mount(Router router) {
    router.get("/healthz").handler(this::health);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.scrape()));
    // Mounted on the starting thread, before the listener is bound: the first probe sees a real check.
    checkNow();
    vertx.setPeriodic(CHECK_MILLIS, t -> check());
  }

  /** On a worker, one check at a time: a store that hangs is not asked again until it answers or times out. */
  private void check() {
    if (checking.compareAndSet(false, true)) {
      vertx.executeBlocking(() -> {
        checkNow();
        return null;
      }, false).onComplete(done -> checking.set(false));
    }
  }

  /** Blocks; a check that throws counts as down. */
  private void checkNow() {
    storeUp = up(store::healthy);
    replayUp = redis == null || up(redis::healthy);
  }

  private static boolean up(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The store's health as last checked. */
  public boolean storeUp() {
    return storeUp;
  }

  /** From now on {@code /healthz} answers 503, while every other route still serves. */
  public void drain() {
    draining = true;
  }

  private void health(RoutingContext ctx) {
    boolean storeOk = storeUp;
    boolean replayOk = replayUp;
    if (draining) {
      Envelope.error(ctx, 503, "unavailable: shutting down");
    } else if (!storeOk || !replayOk) {
      Envelope.error(ctx, 503, ("unavailable: " + (storeOk ? "" : "store ") + (replayOk ? "" : "replay")).strip());
    } else {
      Envelope.encoded(ctx, 200, okBody);
    }
  }

  private static Map<String, Object> okData(String ed25519) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "ok");
    out.put("store", "ok");
    out.put("replay", "ok");
    out.put("crypto", Map.of("ed25519", ed25519));
    return out;
  }
}
