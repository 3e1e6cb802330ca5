package dev.signet.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
  /** A frame as a client sends it: FIN, opcode, masked, {@code length} payload bytes. */
  static byte[] frame(boolean fin, int opcode, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      out.write(0x80 | length);
    } else if (length < 65536) {
      out.write(0x80 | 126);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) length >> shift));
      }
    }
    out.writeBytes(new byte[] {1, 2, 3, 4});
    out.writeBytes(new byte[length]);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void countsFramesAndPayloadsAndLeavesTheBufferUnread() {
    FrameScanner s = new FrameScanner(1 << 20);
    ByteBuf buf = Unpooled.wrappedBuffer(concat(frame(true, 1, 5), frame(true, 2, 300), frame(true, 9, 2), frame(true, 2, 70000)));
    assertThat(s.scan(buf)).isEqualTo(FrameScanner.Outcome.RELAY);
    assertThat(s.frames()).isEqualTo(4);
    assertThat(s.payloadBytes()).isEqualTo(5 + 300 + 2 + 70000);
    assertThat(buf.readerIndex()).isZero();
    assertThat(s.atFrameBoundary()).isTrue();
    assertThat(s.closeSeen()).isFalse();
  }

  @Test
  void followsHeadersAndPayloadsSplitAcrossReadsByteByByte() {
    FrameScanner s = new FrameScanner(1 << 20);
    byte[] bytes = concat(frame(false, 1, 200), frame(true, 0, 3), frame(true, 8, 2));
    long frames = 0;
    for (int i = 0; i < bytes.length; i++) {
      assertThat(s.scan(Unpooled.wrappedBuffer(bytes, i, 1))).isEqualTo(FrameScanner.Outcome.RELAY);
      frames += s.frames();
      if (i == 3) {
        assertThat(s.atFrameBoundary()).as("inside the first header").isFalse();
      }
    }
    assertThat(frames).isEqualTo(3);
    assertThat(s.atFrameBoundary()).isTrue();
    assertThat(s.closeSeen()).isTrue();
  }

  @Test
  void aMessageOverTheLimitIsCutBeforeTheFrameThatCrossesIt() {
    FrameScanner s = new FrameScanner(4096);
    byte[] first = frame(false, 2, 3000);
    ByteBuf buf = Unpooled.wrappedBuffer(concat(frame(true, 1, 10), first, frame(true, 10, 1), frame(true, 0, 3000)));
    assertThat(s.scan(buf)).isEqualTo(FrameScanner.Outcome.TOO_BIG);
    assertThat(s.tooBigAt()).isEqualTo(frame(true, 1, 10).length + first.length + frame(true, 10, 1).length);
    assertThat(s.atFrameBoundary()).as("what was relayed ends between frames").isTrue();
  }

  @Test
  void exactlyTheLimitPassesAndControlFramesDoNotCount() {
    FrameScanner s = new FrameScanner(4096);
    ByteBuf buf = Unpooled.wrappedBuffer(concat(frame(false, 2, 4000), frame(true, 9, 100), frame(true, 0, 96), frame(true, 1, 4096)));
    assertThat(s.scan(buf)).isEqualTo(FrameScanner.Outcome.RELAY);
  }

  @Test
  void aHeaderBegunInAnEarlierReadCannotBeCutCleanly() {
    FrameScanner s = new FrameScanner(100);
    byte[] big = frame(true, 2, 200);
    assertThat(s.scan(Unpooled.wrappedBuffer(big, 0, 1))).isEqualTo(FrameScanner.Outcome.RELAY);
    assertThat(s.scan(Unpooled.wrappedBuffer(big, 1, big.length - 1))).isEqualTo(FrameScanner.Outcome.TOO_BIG);
    assertThat(s.tooBigAt()).isZero();
    assertThat(s.atFrameBoundary()).as("half a header went out: no close frame may follow it").isFalse();
  }
}
