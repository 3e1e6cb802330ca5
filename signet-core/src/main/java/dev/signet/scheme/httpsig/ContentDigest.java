package dev.signet.scheme.httpsig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * RFC 9530 {@code Content-Digest}: a dictionary of algorithm to digest of the body. Signet reads
 * {@code sha-256} and {@code sha-512} (others are ignored), needs at least one of them, and every
 * one given must match the body received.
 */
public final class ContentDigest {
  private ContentDigest() {}

  /** {@code sha-256=:<base64>:} of {@code body}, as a client sends it. */
  public static String sha256(byte[] body) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(digest("SHA-256", body)) + ":";
  }

  /** Null when {@code header} holds a matching sha-256 or sha-512 digest of {@code body}, else why not. */
  static String mismatch(String header, byte[] body) {
    Map<String, Object> dict;
    try {
      dict = StructuredFields.dictionary(header);
    } catch (IllegalArgumentException e) {
      return "Content-Digest is not a structured dictionary: " + e.getMessage();
    }
    int checked = 0;
    for (String alg : new String[] {"sha-256", "sha-512"}) {
      Object member = dict.get(alg);
      if (member == null) {
        continue;
      }
      if (!(member instanceof StructuredFields.Item item) || !(item.value() instanceof byte[] given)) {
        return "Content-Digest " + alg + " is not a byte sequence";
      }
      if (!MessageDigest.isEqual(given, digest(alg.equals("sha-256") ? "SHA-256" : "SHA-512", body))) {
        return "Content-Digest " + alg + " does not match the body received";
      }
      checked++;
    }
    return checked > 0 ? null : "Content-Digest has no sha-256 or sha-512 digest";
  }

  /** {@code alg} (a JDK MessageDigest name) of {@code body}. */
  static byte[] digest(String alg, byte[] body) {
    try {
      return MessageDigest.getInstance(alg).digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " is required by the Java platform", e);
    }
  }
}
