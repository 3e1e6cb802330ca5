package dev.signet.spring;

import dev.signet.keys.Ed25519Provider;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.servlet.ServletVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Signet's meters in the application's {@link MeterRegistry} (Spring Boot Actuator's), under
 * {@code signet serve}'s names and tags so that its dashboard and alerts read both:
 * {@code signet.verifications{scheme,outcome}}, the {@code signet.verification} timer,
 * {@code signet.crypto.provider{ed25519}}, {@code signet.rate.limited{policy}}, and with the in-memory replay store
 * {@code signet.replay.entries} and {@code signet.replay.capacity}.
 */
@AutoConfiguration(before = SignetAutoConfiguration.class,
    afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class SignetMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public ServletVerifier.Outcomes signetOutcomes(MeterRegistry registry) {
    // signet serve's buckets (from 50 µs), so that deploy/'s latency panels and alert read both.
    Timer time = Timer.builder("signet.verification").description("verification latency").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    // Meters by "scheme outcome": looked up once each, not rebuilt per request.
    ConcurrentHashMap<String, Counter> counts = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Counter> limited = new ConcurrentHashMap<>();
    return new ServletVerifier.Outcomes() {
      @Override
      public void record(String scheme, String outcome, long nanos) {
        counts.computeIfAbsent(scheme + " " + outcome, k -> Counter.builder("signet.verifications")
            .description("verifications by scheme and outcome").tag("scheme", scheme).tag("outcome", outcome)
            .register(registry)).increment();
        if (nanos != ServletVerifier.Outcomes.AFTER_VERIFICATION) {
          time.record(nanos, TimeUnit.NANOSECONDS);
        }
      }

      @Override
      public void rateLimited(String policy) {
        limited.computeIfAbsent(policy, k -> Counter.builder("signet.rate.limited").description("Verified requests refused 429 by a rate limit")
            .tag("policy", policy).register(registry)).increment();
      }
    };
  }

  /** Gauges, bound by Actuator to every registry once the context's singletons exist. */
  @Bean
  public MeterBinder signetGauges(ObjectProvider<Ed25519Provider> ed25519, ObjectProvider<ReplayStore> replay) {
    return registry -> {
      Ed25519Provider provider = ed25519.getIfAvailable();
      if (provider != null) {
        Gauge.builder("signet.crypto.provider", () -> 1).tag("ed25519", provider.id())
            .description("the Ed25519 provider in use (always 1; the tag names it)").register(registry);
      }
      if (replay.getIfAvailable() instanceof InMemoryReplayStore store) {
        Gauge.builder("signet.replay.entries", store, InMemoryReplayStore::size)
            .description("token ids held by the in-memory replay store").register(registry);
        Gauge.builder("signet.replay.capacity", store, InMemoryReplayStore::capacity)
            .description("token ids the in-memory replay store holds at most (then 503)").register(registry);
      }
    };
  }
}
