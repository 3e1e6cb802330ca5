package dev.signet.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests for the hot paths (request binding, replay ids). */
public final class Sha256 {
  /** Never updated, only cloned (see {@link #newDigest}). */
  private static final MessageDigest EMPTY = getInstance();

  private Sha256() {}

  /**
   * A fresh SHA-256, cloned from one never updated: the provider lookup of getInstance was ~0.5 us of
   * every verified request (bench/profile.sh); a clone of an empty digest is a small array copy.
   */
  public static MessageDigest newDigest() {
    try {
      return (MessageDigest) EMPTY.clone();
    } catch (CloneNotSupportedException e) {
      return getInstance();
    }
  }

  private static MessageDigest getInstance() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
