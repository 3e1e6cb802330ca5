package dev.signet.server.websocket;

import dev.signet.verify.Scheme;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections by scheme, frames and bytes relayed each way, closes by reason. Every series
 * exists from the start (at zero), so dashboards and alerts see them before the first connection.
 */
final class WebSocketMetrics {
  private final Map<Scheme, AtomicInteger> open = new EnumMap<>(Scheme.class);
  private final Map<CloseReason, Counter> closes = new EnumMap<>(CloseReason.class);
  private final Counter framesUp;
  private final Counter framesDown;
  private final Counter bytesUp;
  private final Counter bytesDown;

  WebSocketMetrics(MeterRegistry registry) {
    for (Scheme s : Scheme.values()) {
      AtomicInteger n = new AtomicInteger();
      open.put(s, n);
      Gauge.builder("signet_websocket_connections", n, AtomicInteger::get).tag("scheme", s.wireName())
          .description("WebSocket connections relayed now").register(registry);
    }
    for (CloseReason r : CloseReason.values()) {
      closes.put(r, Counter.builder("signet_websocket_closes").tag("reason", r.label).description("Relayed WebSocket connections closed")
          .register(registry));
    }
    framesUp = frames(registry, "up");
    framesDown = frames(registry, "down");
    bytesUp = bytes(registry, "up");
    bytesDown = bytes(registry, "down");
  }

  private static Counter frames(MeterRegistry registry, String direction) {
    return Counter.builder("signet_websocket_frames").tag("direction", direction)
        .description("WebSocket frames relayed (up: client to upstream)").register(registry);
  }

  private static Counter bytes(MeterRegistry registry, String direction) {
    return Counter.builder("signet_websocket_payload_bytes").tag("direction", direction)
        .description("WebSocket payload bytes relayed (up: client to upstream)").register(registry);
  }

  void opened(Scheme scheme) {
    open.get(scheme).incrementAndGet();
  }

  void closed(Scheme scheme, CloseReason reason) {
    open.get(scheme).decrementAndGet();
    closes.get(reason).increment();
  }

  void relayed(boolean up, long frames, long payloadBytes) {
    if (frames > 0) {
      (up ? framesUp : framesDown).increment(frames);
      (up ? bytesUp : bytesDown).increment(payloadBytes);
    }
  }

  /** Open connections by scheme wire name, for the console. */
  Map<String, Integer> openByScheme() {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    open.forEach((s, n) -> out.put(s.wireName(), n.get()));
    return out;
  }
}
