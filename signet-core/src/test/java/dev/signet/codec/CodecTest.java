package dev.signet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  void base64UrlMatchesTheJdkOnEveryLength() {
    Random r = new Random(42);
    for (int len = 0; len < 200; len++) {
      byte[] data = new byte[len];
      r.nextBytes(data);
      String ours = Base64Url.encode(data);
      assertThat(ours).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
      assertThat(Base64Url.decode(ours)).isEqualTo(data);
    }
  }

  @Test
  void base64UrlRefusesPaddingStandardAlphabetAndUnusedBits() {
    assertThatThrownBy(() -> Base64Url.decode("AA==")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Url.decode("a+b/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Url.decode("AB")).hasMessageContaining("non-canonical");
    assertThatThrownBy(() -> Base64Url.decode("AAB")).hasMessageContaining("non-canonical");
    assertThatThrownBy(() -> Base64Url.decode("A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Url.decode("AA A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Url.decode("AAé")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Base64Url.decodeLenient("AA==")).containsExactly(0);
  }

  @Test
  void hexAndBase58RoundTrip() {
    Random r = new Random(7);
    for (int len = 0; len < 64; len++) {
      byte[] data = new byte[len];
      r.nextBytes(data);
      if (len > 2) {
        data[0] = 0;
      }
      assertThat(Hex.decode(Hex.encode(data))).isEqualTo(data);
      assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    }
    assertThat(Base58.encode(Hex.decode("00000102"))).isEqualTo("115T");
    assertThatThrownBy(() -> Hex.decode("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hex.decode("zz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base58.decode("0OIl")).isInstanceOf(IllegalArgumentException.class);
  }
}
