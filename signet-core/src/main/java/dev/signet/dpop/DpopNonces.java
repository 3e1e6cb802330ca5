package dev.signet.dpop;

import dev.signet.codec.Base64Url;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 section 8) without state: a nonce is the period it was
 * made in and an HMAC of it under a key every node shares, so any node accepts a nonce any node
 * gave, for the period it was made in and the next (a client that just got one never sees it
 * expire at once). Proofs must still be fresh and single use; the nonce bounds how far ahead of
 * time a stolen key could have made proofs.
 */
public final class DpopNonces {
  private final byte[] key;
  private final Clock clock;
  private final long periodSeconds;

  public DpopNonces(byte[] key, Clock clock, Duration period) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the nonce key needs at least 32 bytes");
    }
    this.key = key.clone();
    this.clock = clock;
    this.periodSeconds = Math.max(1, period.getSeconds());
  }

  /** A nonce for now. */
  public String current() {
    return make(clock.instant().getEpochSecond() / periodSeconds);
  }

  /** Whether {@code nonce} was made by a key holder in this period or the previous one. */
  public boolean valid(String nonce) {
    if (nonce == null || nonce.length() > 64) {
      return false;
    }
    long now = clock.instant().getEpochSecond() / periodSeconds;
    byte[] given = nonce.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, make(now).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        || MessageDigest.isEqual(given, make(now - 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private String make(long period) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] p = ByteBuffer.allocate(8).putLong(period).array();
      byte[] tag = mac.doFinal(p);
      byte[] out = ByteBuffer.allocate(8 + 16).put(p).put(tag, 0, 16).array();
      return Base64Url.encode(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}
