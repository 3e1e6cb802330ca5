package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Strict literals only: what is not one (a client's X-Forwarded-For may say anything) is not trusted, and never resolved. */
class TrustedProxiesTest {
  final TrustedProxies trusted = TrustedProxies.parse(List.of("1.2.0.0/16", "::1/128", "fe80::/10", "192.0.2.7"));

  @Test
  void addressesInTheBlocksAreTrusted() {
    assertThat(trusted.contains("1.2.3.4")).isTrue();
    assertThat(trusted.contains("192.0.2.7")).isTrue();
    assertThat(trusted.contains("192.0.2.8")).isFalse();
    assertThat(trusted.contains("::1")).isTrue();
    assertThat(trusted.contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(trusted.contains("fe80::1%eth0")).isTrue();
    assertThat(trusted.contains("2001:db8::1")).isFalse();
  }

  @Test
  void whatIsNotAStrictLiteralIsNotTrusted() {
    // InetAddress would read these as 1.2.0.3 and 0.0.48.57, or ask the resolver about the others.
    assertThat(trusted.contains("1.2.3")).isFalse();
    assertThat(trusted.contains("12345")).isFalse();
    assertThat(trusted.contains("1.2.3.999")).isFalse();
    assertThat(trusted.contains("1.2.3.4.5")).isFalse();
    assertThat(trusted.contains("1:2")).isFalse();
    assertThat(trusted.contains("localhost")).isFalse();
    assertThat(trusted.contains("")).isFalse();
    assertThat(trusted.contains(null)).isFalse();
  }

  @Test
  void badEntriesAreRefusedAtStart() {
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("localhost"))).hasMessageContaining("is not an IP address or CIDR block");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("1.2.3"))).hasMessageContaining("is not an IP address or CIDR block");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("1.2.3.4/33"))).hasMessageContaining("bad prefix length");
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("1.2.3.4/8/1"))).hasMessageContaining("is not an IP address or CIDR block");
  }
}
