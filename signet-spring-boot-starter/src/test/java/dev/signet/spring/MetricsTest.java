package dev.signet.spring;

import static dev.signet.spring.TestKeys.send;
import static dev.signet.spring.TestKeys.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.spring.app.ChainApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With Actuator on the classpath, Signet's meters are in the application's registry under signet serve's names. */
// Spring Boot's tests export to no registry unless asked: this one checks what Prometheus scrapes.
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = ChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsTest {
  @LocalServerPort
  int port;

  @Autowired
  MeterRegistry registry;

  @Autowired
  PrometheusMeterRegistry prometheus;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) {
    TestKeys.register(r);
  }

  double count(String scheme, String outcome) {
    var c = registry.find("signet.verifications").tag("scheme", scheme).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void verificationsAreCountedBySchemeAndOutcome() throws Exception {
    double ok = count("mixin-bot", "ok");
    double replayed = count("mixin-bot", "replayed");
    double malformed = count("unknown", "malformed");
    String t = token("GET", "/whoami", null, "FULL");
    assertThat(send(port, "GET", "/whoami", null, t).statusCode()).isEqualTo(200);
    assertThat(send(port, "GET", "/whoami", null, t).statusCode()).isEqualTo(401);
    assertThat(send(port, "GET", "/whoami", null, "garbage").statusCode()).isEqualTo(401);

    assertThat(count("mixin-bot", "ok")).isEqualTo(ok + 1);
    assertThat(count("mixin-bot", "replayed")).isEqualTo(replayed + 1);
    assertThat(count("unknown", "malformed")).isEqualTo(malformed + 1);
    assertThat(registry.find("signet.verification").timer().count()).isGreaterThanOrEqualTo(3);
    // signet serve's histogram, with buckets below a millisecond: what deploy/'s panels and alert read.
    assertThat(prometheus.scrape()).containsPattern("signet_verification_seconds_bucket\\{le=\"[0-9.]+E-[45]\"\\} ")
        .containsPattern("signet_verifications_total\\{outcome=\"ok\",scheme=\"mixin-bot\"\\} [1-9]");
    assertThat(registry.find("signet.crypto.provider").gauge()).isNotNull();
    assertThat(registry.find("signet.replay.entries").gauge().value()).isGreaterThanOrEqualTo(1);
    assertThat(registry.find("signet.replay.capacity").gauge().value()).isEqualTo(1_000_000);
  }

  @Test
  void aScopeTheApplicationRequiresAndTheTokenLacksIsCountedAsScope() throws Exception {
    double ok = count("mixin-bot", "ok");
    double scope = count("mixin-bot", "scope");
    long timed = registry.find("signet.verification").timer().count();
    assertThat(send(port, "GET", "/assets/list", null, token("GET", "/assets/list", null, "PROFILE:READ")).statusCode())
        .isEqualTo(403);
    assertThat(count("mixin-bot", "ok")).isEqualTo(ok + 1);
    assertThat(count("mixin-bot", "scope")).isEqualTo(scope + 1);
    // One verification, timed once: the refusal after it took no verification time.
    assertThat(registry.find("signet.verification").timer().count()).isEqualTo(timed + 1);
    // A request without a token is a 401 (no verified token was refused a scope): not counted as scope.
    assertThat(send(port, "GET", "/assets/list", null, null).statusCode()).isEqualTo(401);
    assertThat(count("mixin-bot", "scope")).isEqualTo(scope + 1);
  }
}
