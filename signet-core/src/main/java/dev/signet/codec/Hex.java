package dev.signet.codec;

/** Lower-case hexadecimal, strict on input (even length, hex digits only). */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] data) {
    char[] out = new char[data.length * 2];
    for (int i = 0; i < data.length; i++) {
      out[2 * i] = DIGITS[(data[i] >>> 4) & 0xf];
      out[2 * i + 1] = DIGITS[data[i] & 0xf];
    }
    return new String(out);
  }

  /** Writes the hex of {@code data} as ASCII bytes into {@code out} at {@code off}. */
  public static void encodeTo(byte[] data, byte[] out, int off) {
    for (int i = 0; i < data.length; i++) {
      out[off + 2 * i] = (byte) DIGITS[(data[i] >>> 4) & 0xf];
      out[off + 2 * i + 1] = (byte) DIGITS[data[i] & 0xf];
    }
  }

  public static byte[] decode(CharSequence text) {
    int len = text.length();
    if ((len & 1) != 0) {
      throw new IllegalArgumentException("invalid hex: odd length");
    }
    byte[] out = new byte[len / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (digit(text, 2 * i) << 4 | digit(text, 2 * i + 1));
    }
    return out;
  }

  /** Whether the text is non-empty, even-length ASCII hex (either case); what {@link #decode} accepts. */
  public static boolean isHex(CharSequence text) {
    if (text.length() == 0 || (text.length() & 1) != 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (value(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int digit(CharSequence text, int i) {
    int d = value(text.charAt(i));
    if (d < 0) {
      throw new IllegalArgumentException("invalid hex character at offset " + i);
    }
    return d;
  }

  /** ASCII only: Character.digit would also take other scripts' digits and full-width letters. */
  private static int value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }
}
