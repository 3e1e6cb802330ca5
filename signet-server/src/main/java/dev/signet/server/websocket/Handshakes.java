package dev.signet.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The few RFC 6455 pieces Signet writes itself: handshake keys and its own close frames. */
final class Handshakes {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_REASON_BYTES = 123;

  private Handshakes() {}

  /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
  static String newKey(SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** Whether {@code key} is a valid {@code Sec-WebSocket-Key}: 16 bytes in base64. */
  static boolean validKey(String key) {
    try {
      return key != null && Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The {@code Sec-WebSocket-Accept} that answers {@code key}. */
  static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
    }
  }

  /**
   * A close frame with {@code code} and {@code reason} (cut to fit a control frame); masked, as a
   * client's must be, when it goes to the upstream.
   */
  static ByteBuf closeFrame(ByteBufAllocator alloc, int code, String reason, boolean masked, SecureRandom random) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(text.length, MAX_REASON_BYTES);
    while (length > 0 && length < text.length && (text[length] & 0xc0) == 0x80) {
      length--; // never cut a UTF-8 sequence in two
    }
    byte[] payload = new byte[2 + length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, length);
    ByteBuf frame = alloc.buffer(2 + (masked ? 4 : 0) + payload.length);
    frame.writeByte(0x80 | FrameScanner.OPCODE_CLOSE);
    frame.writeByte((masked ? 0x80 : 0) | payload.length);
    if (masked) {
      byte[] mask = new byte[4];
      random.nextBytes(mask);
      frame.writeBytes(mask);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    frame.writeBytes(payload);
    return frame;
  }
}
