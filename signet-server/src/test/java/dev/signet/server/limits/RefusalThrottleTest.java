package dev.signet.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalThrottleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void anAddressIsThrottledAtTheThresholdUntilItsWindowEnds() {
    RefusalThrottle t = new RefusalThrottle(3, 60, 1000, clock, registry);
    for (int i = 0; i < 2; i++) {
      t.refused("203.0.113.9");
    }
    assertThat(t.retryAfterSeconds("203.0.113.9")).as("two refusals: still verified").isZero();
    clock.advance(Duration.ofSeconds(10));
    t.refused("203.0.113.9");
    assertThat(t.retryAfterSeconds("203.0.113.9")).as("the third, 10 s into its window").isEqualTo(50);
    assertThat(t.retryAfterSeconds("198.51.100.7")).as("another address").isZero();
    clock.advance(Duration.ofMillis(49_001));
    assertThat(t.retryAfterSeconds("203.0.113.9")).as("rounded up, never 0 while throttled").isEqualTo(1);
    clock.advance(Duration.ofMillis(999));
    assertThat(t.retryAfterSeconds("203.0.113.9")).as("the window is over").isZero();
    t.refused("203.0.113.9");
    assertThat(t.retryAfterSeconds("203.0.113.9")).as("a new window counts from one").isZero();
    assertThat(registry.get("signet_throttled").counter().count()).isEqualTo(2);
  }

  @Test
  void theServersOwnStateIsNotHeldAgainstClients() {
    assertThat(RefusalThrottle.counts(dev.signet.verify.Failure.BAD_SIGNATURE)).isTrue();
    assertThat(RefusalThrottle.counts(dev.signet.verify.Failure.MALFORMED)).isTrue();
    assertThat(RefusalThrottle.counts(dev.signet.verify.Failure.UNAVAILABLE)).isFalse();
    assertThat(RefusalThrottle.counts(dev.signet.verify.Failure.STALE)).isFalse();
    assertThat(RefusalThrottle.counts(dev.signet.verify.Failure.DPOP_NONCE)).isFalse();
  }

  @Test
  void zeroTurnsItOff() {
    RefusalThrottle t = new RefusalThrottle(0, 60, 1000, clock, registry);
    for (int i = 0; i < 100; i++) {
      t.refused("203.0.113.9");
    }
    assertThat(t.retryAfterSeconds("203.0.113.9")).isZero();
    assertThat(t.size()).isZero();
  }

  @Test
  void aFloodOfDistinctAddressesCannotGrowItPastItsBound() {
    RefusalThrottle t = new RefusalThrottle(2, 60, 100, clock, registry);
    for (int i = 0; i < 10_000; i++) {
      t.refused("10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(t.size()).isEqualTo(100);
    t.refused("10.0.0.0");
    assertThat(t.retryAfterSeconds("10.0.0.0")).as("addresses already counted still are").isPositive();
    clock.advance(Duration.ofSeconds(60));
    t.refused("192.0.2.1");
    assertThat(t.size()).as("ended windows make room").isEqualTo(1);
  }

  @Test
  void ipv6CountsByItsSlash64() {
    assertThat(dev.signet.limits.AddressKey.of("2001:db8:1:2::1")).isEqualTo(dev.signet.limits.AddressKey.of("2001:db8:1:2:ffff::99")).isEqualTo("2001:db8:1:2::/64");
    assertThat(dev.signet.limits.AddressKey.of("2001:db8:1:3::1")).isNotEqualTo(dev.signet.limits.AddressKey.of("2001:db8:1:2::1"));
    assertThat(dev.signet.limits.AddressKey.of("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(dev.signet.limits.AddressKey.of("[::1]")).isEqualTo("0:0:0:0::/64");
  }
}
