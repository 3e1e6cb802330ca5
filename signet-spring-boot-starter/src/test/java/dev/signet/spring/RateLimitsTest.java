package dev.signet.spring;

import static dev.signet.spring.TestKeys.send;
import static dev.signet.spring.TestKeys.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitPolicy;
import dev.signet.spring.app.ChainApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code signet.rate-limits} in a real application with the Redis replay store (real Redis on
 * loopback): counted after verification, 429 with the draft's fields, kept where every instance
 * (and {@code signet serve}) counts it.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = ChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitsTest {
  static final String PREFIX = "signet-test:" + UUID.randomUUID() + ":";

  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry registry;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    TestKeys.register(r);
    r.add("signet.replay.type", () -> "redis");
    r.add("signet.replay.url", () -> "redis://127.0.0.1:6379");
    r.add("signet.replay.prefix", () -> PREFIX);
    r.add("signet.rate-limits[0].name", () -> "per-session");
    r.add("signet.rate-limits[0].key", () -> "session");
    r.add("signet.rate-limits[0].rate", () -> "2");
    r.add("signet.rate-limits[0].per-seconds", () -> "60");
  }

  @Test
  void verifiedRequestsSpendASharedQuotaAndTheOneOverIs429() throws Exception {
    Thread.sleep(1100); // signed after the second the prefix's replay epoch began
    for (int i = 0; i < 3; i++) {
      assertThat(send(port, "GET", "/whoami", null, "not-a-token").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> first = send(port, "GET", "/whoami", null, token("GET", "/whoami", null, "FULL"));
    assertThat(first.statusCode()).as("refused tokens spent nothing").isEqualTo(200);
    assertThat(first.headers().allValues("RateLimit-Policy")).containsExactly("\"per-session\";q=2;w=60");
    assertThat(first.headers().allValues("RateLimit")).containsExactly("\"per-session\";r=1;t=30");
    assertThat(send(port, "GET", "/whoami", null, token("GET", "/whoami", null, "FULL")).statusCode()).isEqualTo(200);
    HttpResponse<String> over = send(port, "GET", "/whoami", null, token("GET", "/whoami", null, "FULL"));
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.body()).startsWith("{\"error\":{\"status\":429,\"code\":429,\"description\":"
        + "\"rate_limited: per-session allows 2 requests per 60 s per session; retry in ");
    assertThat(over.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(29L, 30L));
    assertThat(registry.find("signet.rate.limited").tag("policy", "per-session").counter().count()).isEqualTo(1);

    // Another instance on the same Redis sees the quota spent: the state is shared, not this app's.
    RateLimitPolicy same = new RateLimitPolicy("per-session", RateLimitPolicy.Key.SESSION, 2, 60, 2);
    try (LettuceReplayStore other = new LettuceReplayStore("redis://127.0.0.1:6379", PREFIX, Clock.systemUTC())) {
      assertThat(other.rateLimiter().acquire(List.of(new Charge(same, TestKeys.SID))).refused()).isNotNull();
    }
  }
}
