package dev.signet.codec;

import java.util.Arrays;

/** Bitcoin-alphabet base58, used by Graphene WIF keys and public keys. */
public final class Base58 {
  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEX[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  public static String encode(byte[] input) {
    if (input.length == 0) {
      return "";
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    byte[] digits = Arrays.copyOf(input, input.length);
    char[] out = new char[input.length * 2];
    int o = out.length;
    int start = zeros;
    while (start < digits.length) {
      out[--o] = ALPHABET[divmod(digits, start, 256, 58)];
      if (digits[start] == 0) {
        start++;
      }
    }
    while (o < out.length && out[o] == ALPHABET[0]) {
      o++;
    }
    while (zeros-- > 0) {
      out[--o] = ALPHABET[0];
    }
    return new String(out, o, out.length - o);
  }

  public static byte[] decode(String input) {
    if (input.isEmpty()) {
      return new byte[0];
    }
    byte[] input58 = new byte[input.length()];
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      int d = c < 128 ? INDEX[c] : -1;
      if (d < 0) {
        throw new IllegalArgumentException("invalid base58 character at offset " + i);
      }
      input58[i] = (byte) d;
    }
    int zeros = 0;
    while (zeros < input58.length && input58[zeros] == 0) {
      zeros++;
    }
    byte[] out = new byte[input.length()];
    int o = out.length;
    int start = zeros;
    while (start < input58.length) {
      out[--o] = (byte) divmod(input58, start, 58, 256);
      if (input58[start] == 0) {
        start++;
      }
    }
    while (o < out.length && out[o] == 0) {
      o++;
    }
    return Arrays.copyOfRange(out, o - zeros, out.length);
  }

  private static int divmod(byte[] number, int first, int base, int divisor) {
    int remainder = 0;
    for (int i = first; i < number.length; i++) {
      int temp = remainder * base + (number[i] & 0xff);
      number[i] = (byte) (temp / divisor);
      remainder = temp % divisor;
    }
    return remainder;
  }
}
