package dev.signet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Hex, base64url and Base58 as they read outside input: a decoded value or an
 * {@link IllegalArgumentException}, nothing else; every byte string survives encode then decode,
 * and the strict decoders accept exactly one spelling of each value.
 */
class CodecFuzzTest {
  @FuzzTest
  void hex(byte[] input) {
    assertThat(Hex.decode(Hex.encode(input))).isEqualTo(input);
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      assertThat(Hex.encode(Hex.decode(text))).isEqualToIgnoringCase(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageNotContaining(text.length() > 8 ? text : "\0");
    }
    if (Hex.isHex(text)) {
      assertThat(Hex.decode(text)).hasSize(text.length() / 2);
    }
  }

  @FuzzTest
  void base64url(byte[] input) {
    assertThat(Base64Url.decode(Base64Url.encode(input))).isEqualTo(input);
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      assertThat(Base64Url.encode(Base64Url.decode(text))).isEqualTo(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageNotContaining(text.length() > 8 ? text : "\0");
    }
    try {
      byte[] lenient = Base64Url.decodeLenient(text);
      assertThat(Base64Url.decodeLenient(Base64Url.encode(lenient))).isEqualTo(lenient);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }

  @FuzzTest
  void base58(byte[] input) {
    assertThat(Base58.decode(Base58.encode(input))).isEqualTo(input);
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      assertThat(Base58.encode(Base58.decode(text))).isEqualTo(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
