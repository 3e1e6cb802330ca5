package dev.signet.server.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Every verification's outcome and time: {@code signet_verifications_total{scheme,outcome}} and {@code signet_verification}. */
public final class Verifications {
  private final MeterRegistry metrics;
  /** Meters by "scheme outcome": looked up once each, not rebuilt per request. */
  private final ConcurrentHashMap<String, Counter> counts = new ConcurrentHashMap<>();
  /**
   * Buckets from 50 µs: a verification takes ~0.1 ms, and with Micrometer's default floor of 1 ms
   * every one fell in the first bucket, so the dashboard's quantiles were interpolations within it.
   */
  private final Timer time;

  public Verifications(MeterRegistry metrics) {
    this.metrics = metrics;
    this.time = Timer.builder("signet.verification").description("verification latency")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
        .publishPercentiles(0.5, 0.99).register(metrics);
  }

  /** One verification of {@code scheme} that ended in {@code outcome} ({@code ok} or the refusal's code). */
  public void record(String scheme, String outcome, long startNanos) {
    counts.computeIfAbsent(scheme + " " + outcome, k -> Counter.builder("signet.verifications")
        .description("verifications by scheme and outcome").tag("scheme", scheme).tag("outcome", outcome).register(metrics)).increment();
    time.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Counts since start by scheme and outcome, for {@code /admin/stats} (the console takes differences). */
  public List<Map<String, Object>> counts() {
    List<Map<String, Object>> out = new ArrayList<>();
    counts.values().forEach(c -> out.add(Map.of("scheme", c.getId().getTag("scheme"), "outcome", c.getId().getTag("outcome"),
        "count", (long) c.count())));
    return out;
  }

  /** {@code p50_ms} and {@code p99_ms} of recent verifications. */
  public Map<String, Object> latency() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (ValueAtPercentile v : time.takeSnapshot().percentileValues()) {
      out.put(v.percentile() == 0.5 ? "p50_ms" : "p99_ms", v.value(TimeUnit.NANOSECONDS) / 1e6);
    }
    return out;
  }
}
