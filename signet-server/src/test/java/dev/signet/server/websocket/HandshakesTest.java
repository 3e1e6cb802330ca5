package dev.signet.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class HandshakesTest {
  @Test
  void acceptKeyIsRfc6455sExample() {
    // RFC 6455 section 1.3.
    assertThat(Handshakes.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(Handshakes.validKey("dGhlIHNhbXBsZSBub25jZQ==")).isTrue();
    assertThat(Handshakes.validKey("dGhlIHNhbXBsZQ==")).isFalse();
    assertThat(Handshakes.validKey("not base64!")).isFalse();
    assertThat(Handshakes.validKey(null)).isFalse();
  }

  @Test
  void closeFramesCarryTheCodeAndAReasonCutToFitWithoutSplittingACharacter() {
    ByteBuf plain = Handshakes.closeFrame(ByteBufAllocator.DEFAULT, 1008, "revoked", false, new SecureRandom());
    assertThat(plain.readUnsignedByte()).isEqualTo((short) 0x88);
    assertThat(plain.readUnsignedByte()).isEqualTo((short) 9);
    assertThat(plain.readUnsignedShort()).isEqualTo(1008);
    assertThat(plain.toString(StandardCharsets.UTF_8)).isEqualTo("revoked");

    String reason = "é".repeat(100); // 200 bytes: cut to 122, a whole number of characters
    ByteBuf masked = Handshakes.closeFrame(ByteBufAllocator.DEFAULT, 1001, reason, true, new SecureRandom());
    assertThat(masked.readUnsignedByte()).isEqualTo((short) 0x88);
    int second = masked.readUnsignedByte();
    assertThat(second & 0x80).as("masked").isEqualTo(0x80);
    int length = second & 0x7f;
    assertThat(length).isEqualTo(2 + 122);
    byte[] mask = new byte[4];
    masked.readBytes(mask);
    byte[] payload = new byte[length];
    masked.readBytes(payload);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)).isEqualTo(1001);
    assertThat(new String(payload, 2, length - 2, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
  }
}
