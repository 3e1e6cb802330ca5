package dev.signet.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GcraTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  /** 10 per second, bursts of 3: one every 100 ms once the burst is spent. */
  final RateLimitPolicy tenPerSecond = new RateLimitPolicy("per-user", RateLimitPolicy.Key.USER, 10, 1, 3);

  @Test
  void aBurstThenTheSustainedRateExactlyAtTheBoundary() {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 100);
    assertThat(limiter.acquire(tenPerSecond, "u").remaining()).isEqualTo(2);
    assertThat(limiter.acquire(tenPerSecond, "u").remaining()).isEqualTo(1);
    Gcra.Decision third = limiter.acquire(tenPerSecond, "u");
    assertThat(third.allowed()).isTrue();
    assertThat(third.remaining()).isZero();
    assertThat(third.resetSeconds()).as("300 ms to a whole burst, rounded up").isEqualTo(1);
    Gcra.Decision fourth = limiter.acquire(tenPerSecond, "u");
    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.retryAfterSeconds()).isEqualTo(1);
    clock.advance(Duration.ofMillis(99));
    assertThat(limiter.acquire(tenPerSecond, "u").allowed()).as("1 ms before the next slot").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.acquire(tenPerSecond, "u").allowed()).as("at the slot exactly").isTrue();
    assertThat(limiter.acquire(tenPerSecond, "u").allowed()).isFalse();
    assertThat(limiter.acquire(tenPerSecond, "other").allowed()).as("keys are apart").isTrue();
  }

  @Test
  void overAWholeMinuteTheRateHolds() {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 100);
    int accepted = 0;
    for (int ms = 0; ms < 60_000; ms += 10) {
      if (limiter.acquire(tenPerSecond, "u").allowed()) {
        accepted++;
      }
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(accepted).as("600 at 10/s plus the burst's 2 extra").isEqualTo(602);
  }

  @Test
  void refusalsDoNotSpendQuotaAndRetryAfterIsWhenOneConforms() {
    RateLimitPolicy slow = new RateLimitPolicy("slow", RateLimitPolicy.Key.SESSION, 1, 60, 1);
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 100);
    assertThat(limiter.acquire(slow, "s").allowed()).isTrue();
    clock.advance(Duration.ofSeconds(20));
    for (int i = 0; i < 5; i++) {
      Gcra.Decision d = limiter.acquire(slow, "s");
      assertThat(d.allowed()).isFalse();
      assertThat(d.retryAfterSeconds()).isEqualTo(40);
    }
    clock.advance(Duration.ofSeconds(40));
    assertThat(limiter.acquire(slow, "s").allowed()).isTrue();
  }

  @Test
  void aFloodOfDistinctKeysIsBounded() {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 50);
    for (int i = 0; i < 10_000; i++) {
      limiter.acquire(tenPerSecond, "k" + i);
    }
    assertThat(limiter.size()).isEqualTo(50);
    clock.advance(Duration.ofSeconds(1));
    limiter.acquire(tenPerSecond, "late");
    assertThat(limiter.size()).as("full buckets are forgotten to make room").isEqualTo(1);
  }

  @Test
  void headersFollowTheDraftsSyntax() {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock, 10);
    assertThat(RateLimitHeaders.policy(tenPerSecond)).isEqualTo("\"per-user\";q=3;w=1");
    assertThat(RateLimitHeaders.limit(tenPerSecond, limiter.acquire(tenPerSecond, "u"))).isEqualTo("\"per-user\";r=2;t=1");
    RateLimitPolicy hourly = new RateLimitPolicy("hourly", RateLimitPolicy.Key.OAUTH_APP, 1000, 3600, 100);
    assertThat(RateLimitHeaders.policy(hourly)).isEqualTo("\"hourly\";q=100;w=360");
  }

  @Test
  void badPoliciesNameTheProblem() {
    assertThatThrownBy(() -> new RateLimitPolicy("p", RateLimitPolicy.Key.USER, 0, 1, 1)).hasMessageContaining("rate and burst must be positive");
    assertThatThrownBy(() -> RateLimitPolicy.Key.of("tenant")).hasMessageContaining("unknown key 'tenant'");
    assertThatThrownBy(() -> new RateLimitPolicy("a b", RateLimitPolicy.Key.USER, 1, 1, 1)).hasMessageContaining("policy name");
  }
}
