package dev.signet.keys;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;

/** Decodes the text forms users paste keys in: hex or base64url (padded or not). */
final class KeyText {
  private KeyText() {}

  /**
   * Hex when the text is hex of a plausible length, else base64url. {@code expected} is the
   * required byte length, or -1 to leave the length check to the caller.
   */
  static byte[] decodeBytes(String text, int expected, String what) {
    String t = text.strip();
    byte[] raw;
    boolean hexLength = t.length() == 64 || t.length() == 128;
    if (hexLength && Hex.isHex(t)) {
      raw = Hex.decode(t);
    } else {
      try {
        raw = Base64Url.decodeLenient(t.replace('+', '-').replace('/', '_'));
      } catch (IllegalArgumentException e) {
        if (Hex.isHex(t)) {
          throw new KeyException(KeyException.Reason.LENGTH, what + " looks like hex of " + t.length() / 2 + " bytes");
        }
        throw new KeyException(KeyException.Reason.ENCODING, what + " is neither hex nor base64url");
      }
    }
    if (expected >= 0 && raw.length != expected) {
      throw new KeyException(KeyException.Reason.LENGTH,
          what + " must be " + expected + " bytes, got " + raw.length);
    }
    return raw;
  }
}
