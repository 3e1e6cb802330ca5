package dev.signet.server.websocket;

import io.netty.buffer.ByteBuf;

/**
 * Follows the RFC 6455 frame headers in one direction of a relayed byte stream, without copying or
 * unmasking payloads: where frames begin and end (a close Signet sends itself must fall between
 * two), how many frames and payload bytes passed, each message's size (fragments added up) against
 * the limit, and whether a close frame came. The bytes themselves are relayed unchanged.
 */
final class FrameScanner {
  static final int OPCODE_CONTINUATION = 0;
  static final int OPCODE_TEXT = 1;
  static final int OPCODE_BINARY = 2;
  static final int OPCODE_CLOSE = 8;

  /** What {@link #scan} found in a buffer. */
  enum Outcome { RELAY, TOO_BIG }

  private final long maxMessageBytes;
  /** The header being read: at most 14 bytes (2 + 8 of length + 4 of mask). */
  private final byte[] header = new byte[14];
  private int headerLength;
  private long payloadLeft;
  private long messageBytes;
  private boolean closeSeen;
  private int tooBigAt = -1;
  /** Cut inside a frame (see {@link #scan}): no frame of Signet's may follow in this direction. */
  private boolean cutMidFrame;
  private long frames;
  private long payloadBytes;

  FrameScanner(long maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Reads the frame headers in {@code buf}'s readable bytes (its reader index is left as it was).
   * {@link Outcome#TOO_BIG}: a frame starting at {@link #tooBigAt()} (an offset from the reader
   * index) would take its message past the limit; only the bytes before it may be relayed.
   */
  Outcome scan(ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    frames = 0;
    payloadBytes = 0;
    while (i < end) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= skip;
        i += skip;
        continue;
      }
      int frameStart = i - headerLength;
      header[headerLength++] = buf.getByte(i++);
      int needed = headerSize();
      if (headerLength < needed) {
        continue;
      }
      headerLength = 0;
      long length = payloadLength();
      int opcode = header[0] & 0x0f;
      if (opcode == OPCODE_CLOSE) {
        closeSeen = true;
      }
      if (opcode == OPCODE_TEXT || opcode == OPCODE_BINARY) {
        messageBytes = 0;
      }
      if (opcode == OPCODE_TEXT || opcode == OPCODE_BINARY || opcode == OPCODE_CONTINUATION) {
        messageBytes += length;
        if (messageBytes > maxMessageBytes) {
          // A header split across two reads began in the previous buffer, already relayed: the
          // frame is cut at this buffer's start then (the peer sees a truncated frame, then the close).
          tooBigAt = Math.max(0, frameStart - buf.readerIndex());
          cutMidFrame = frameStart < buf.readerIndex();
          headerLength = 0;
          payloadLeft = 0;
          return Outcome.TOO_BIG;
        }
      }
      frames++;
      payloadBytes += length;
      payloadLeft = length;
    }
    return Outcome.RELAY;
  }

  long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** After {@link Outcome#TOO_BIG}: the offset of the frame that crossed the limit. */
  int tooBigAt() {
    return tooBigAt;
  }

  /** Whether the stream is between two frames, where a frame of Signet's own may be put. */
  boolean atFrameBoundary() {
    return payloadLeft == 0 && headerLength == 0 && !cutMidFrame;
  }

  /** Whether a close frame has begun in this direction. */
  boolean closeSeen() {
    return closeSeen;
  }

  /** Frames whose header the last {@link #scan} completed. */
  long frames() {
    return frames;
  }

  /** Their payload bytes (including parts still to come in later buffers). */
  long payloadBytes() {
    return payloadBytes;
  }

  private int headerSize() {
    if (headerLength < 2) {
      return 2;
    }
    int len7 = header[1] & 0x7f;
    int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    int mask = (header[1] & 0x80) != 0 ? 4 : 0;
    return 2 + extended + mask;
  }

  private long payloadLength() {
    int len7 = header[1] & 0x7f;
    if (len7 < 126) {
      return len7;
    }
    if (len7 == 126) {
      return ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
    }
    long length = 0;
    for (int k = 2; k < 10; k++) {
      length = (length << 8) | (header[k] & 0xffL);
    }
    // The most significant bit must be 0 (RFC 6455 5.2): a negative length counts as too big.
    return length < 0 ? Long.MAX_VALUE : length;
  }
}
