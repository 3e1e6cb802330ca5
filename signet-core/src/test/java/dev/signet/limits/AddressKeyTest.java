package dev.signet.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Address keys, parsed by hand: the same /64 for every spelling, and nothing a resolver would be asked about. */
class AddressKeyTest {
  @Test
  void ipv6CountsByItsSlash64WhateverItsSpelling() {
    assertThat(AddressKey.of("2001:db8:1:2::1")).isEqualTo(AddressKey.of("2001:0db8:0001:0002:ffff::99")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressKey.of("[2001:db8:1:2:0:0:0:1]")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressKey.of("2001:db8:1:3::1")).isNotEqualTo(AddressKey.of("2001:db8:1:2::1"));
    assertThat(AddressKey.of("::1")).isEqualTo("0:0:0:0::/64");
    assertThat(AddressKey.of("::ffff:192.0.2.1")).isEqualTo("0:0:0:0::/64");
    assertThat(AddressKey.of("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
    assertThat(AddressKey.of("2001:db8::")).isEqualTo("2001:db8:0:0::/64");
  }

  @Test
  void whatIsNotALiteralIsKeptAsItCameBounded() {
    assertThat(AddressKey.of("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(AddressKey.of("1:2")).isEqualTo("1:2");
    assertThat(AddressKey.of("1::2::3")).isEqualTo("1::2::3");
    assertThat(AddressKey.of("1:2:3:4:5:6:7:8:9")).isEqualTo("1:2:3:4:5:6:7:8:9");
    assertThat(AddressKey.of("12345::1")).isEqualTo("12345::1");
    assertThat(AddressKey.of("::ffff:1.2.3.999")).isEqualTo("::ffff:1.2.3.999");
    assertThat(AddressKey.of("g::1")).isEqualTo("g::1");
    assertThat(AddressKey.of("a:" + "b".repeat(100))).hasSize(45);
    assertThat(AddressKey.ipv6("1:2:3:4:5:6:7:8")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(AddressKey.ipv6("1::8")).containsExactly(1, 0, 0, 0, 0, 0, 0, 8);
  }
}
