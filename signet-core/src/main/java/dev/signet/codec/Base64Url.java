package dev.signet.codec;

import java.util.Arrays;

/**
 * Strict, canonical base64url (RFC 4648 section 5) without padding, as JWS requires.
 *
 * <p>The JDK decoder accepts padding and ignores non-zero unused bits, so two different strings can
 * decode to the same bytes; a token codec must refuse that (token malleability), hence this class.
 */
public final class Base64Url {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes();
  private static final byte[] DECODE = new byte[128];

  static {
    Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
    }
  }

  private Base64Url() {}

  public static String encode(byte[] data) {
    return new String(encodeToAscii(data, 0, data.length), java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** Encodes into ASCII bytes, the form a JWS signing input is built from. */
  public static byte[] encodeToAscii(byte[] data, int off, int len) {
    int full = len / 3;
    int rest = len % 3;
    byte[] out = new byte[full * 4 + (rest == 0 ? 0 : rest + 1)];
    int o = 0;
    int i = off;
    for (int k = 0; k < full; k++) {
      int v = (data[i++] & 0xff) << 16 | (data[i++] & 0xff) << 8 | (data[i++] & 0xff);
      out[o++] = ALPHABET[v >>> 18];
      out[o++] = ALPHABET[(v >>> 12) & 63];
      out[o++] = ALPHABET[(v >>> 6) & 63];
      out[o++] = ALPHABET[v & 63];
    }
    if (rest == 1) {
      int v = data[i] & 0xff;
      out[o++] = ALPHABET[v >>> 2];
      out[o] = ALPHABET[(v << 4) & 63];
    } else if (rest == 2) {
      int v = (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
      out[o++] = ALPHABET[v >>> 10];
      out[o++] = ALPHABET[(v >>> 4) & 63];
      out[o] = ALPHABET[(v << 2) & 63];
    }
    return out;
  }

  /** Decodes the whole string; see {@link #decode(CharSequence, int, int)}. */
  public static byte[] decode(CharSequence text) {
    return decode(text, 0, text.length());
  }

  /**
   * Decodes {@code text[from, to)}: unpadded base64url only, and the unused low bits of the last
   * character must be zero, so every byte string has exactly one accepted encoding.
   *
   * @throws IllegalArgumentException naming the offending position, never the content
   */
  public static byte[] decode(CharSequence text, int from, int to) {
    int len = to - from;
    if (len % 4 == 1) {
      throw new IllegalArgumentException("invalid base64url length");
    }
    byte[] out = new byte[len / 4 * 3 + (len % 4 == 0 ? 0 : len % 4 - 1)];
    int o = 0;
    int i = from;
    int fullEnd = from + len / 4 * 4;
    while (i < fullEnd) {
      int v = sextet(text, i) << 18 | sextet(text, i + 1) << 12 | sextet(text, i + 2) << 6 | sextet(text, i + 3);
      out[o++] = (byte) (v >>> 16);
      out[o++] = (byte) (v >>> 8);
      out[o++] = (byte) v;
      i += 4;
    }
    int rest = to - i;
    if (rest == 2) {
      int v = sextet(text, i) << 6 | sextet(text, i + 1);
      if ((v & 0xf) != 0) {
        throw new IllegalArgumentException("non-canonical base64url: unused bits set");
      }
      out[o] = (byte) (v >>> 4);
    } else if (rest == 3) {
      int v = sextet(text, i) << 12 | sextet(text, i + 1) << 6 | sextet(text, i + 2);
      if ((v & 0x3) != 0) {
        throw new IllegalArgumentException("non-canonical base64url: unused bits set");
      }
      out[o++] = (byte) (v >>> 10);
      out[o] = (byte) (v >>> 2);
    }
    return out;
  }

  /** Accepts the padded form too: for keys users paste, not for tokens. */
  public static byte[] decodeLenient(String text) {
    String t = text.strip();
    int end = t.length();
    while (end > 0 && t.charAt(end - 1) == '=') {
      end--;
    }
    if (t.length() - end > 2) {
      throw new IllegalArgumentException("invalid base64url padding");
    }
    return decode(t, 0, end);
  }

  private static int sextet(CharSequence text, int i) {
    char c = text.charAt(i);
    int v = c < 128 ? DECODE[c] : -1;
    if (v < 0) {
      throw new IllegalArgumentException("invalid base64url character at offset " + i);
    }
    return v;
  }
}
