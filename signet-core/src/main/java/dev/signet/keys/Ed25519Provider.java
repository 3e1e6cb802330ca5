package dev.signet.keys;

import java.util.Locale;

/**
 * The code that computes Ed25519 for {@link Ed25519PublicKey} and {@link Ed25519PrivateKey}:
 * libsodium through JNA where its bundled library loads (~1.3-1.5x faster than BouncyCastle here),
 * BouncyCastle everywhere else. Keys carry their provider; {@link #preferred()} is the default.
 *
 * <p>Both providers accept exactly the same signatures on every input that does not need the
 * signer's secret key to make, because {@link Ed25519PublicKey} applies one rule before either runs
 * (see {@link Ed25519PublicKey#verify}); the one difference left is documented there.
 */
public abstract sealed class Ed25519Provider permits BouncyCastleEd25519, SodiumEd25519 {

  /** What {@code crypto.ed25519} asks for. */
  public enum Choice {
    /** libsodium if it loads, else BouncyCastle (with {@link Selection#fallbackReason()}). */
    AUTO,
    /** libsodium, or an error: never a silent fallback. */
    NATIVE,
    /** BouncyCastle, pure Java. */
    JAVA;

    /** From {@code auto}, {@code native} or {@code java}. */
    public static Choice parse(String text) {
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "native" -> NATIVE;
        case "java" -> JAVA;
        default -> throw new IllegalArgumentException("crypto.ed25519 must be auto, native or java");
      };
    }
  }

  /** The provider chosen, and, when {@code auto} fell back to Java, why libsodium did not load. */
  public record Selection(Ed25519Provider provider, String fallbackReason) {
    public boolean fellBack() {
      return fallbackReason != null;
    }
  }

  /** {@code native} was asked for and libsodium cannot be loaded here. */
  public static final class UnavailableException extends IllegalStateException {
    UnavailableException(String message) {
      super(message);
    }
  }

  Ed25519Provider() {}

  /** {@code libsodium} or {@code bouncycastle}: a stable label for logs, health and metrics. */
  public abstract String id();

  /** The label with the library's version, for the start log. */
  public abstract String description();

  /** The signature check proper, on a signature {@link Ed25519PublicKey} has already screened. */
  abstract boolean verifyScreened(Ed25519PublicKey key, byte[] signature, byte[] data, int offset, int length);

  /** The 64-byte signature of data under the seed (with its public key). */
  abstract byte[] sign(byte[] seed, byte[] publicKey, byte[] data, int offset, int length);

  public static Ed25519Provider java() {
    return BouncyCastleEd25519.INSTANCE;
  }

  /**
   * The provider for a {@code crypto.ed25519} choice. Loading libsodium happens once per process
   * (the library stays loaded); {@link Choice#NATIVE} throws {@link UnavailableException} naming
   * why it cannot load.
   */
  public static Selection select(Choice choice) {
    switch (choice) {
      case JAVA:
        return new Selection(java(), null);
      case NATIVE:
        return new Selection(SodiumEd25519.load(), null);
      default:
        try {
          return new Selection(SodiumEd25519.load(), null);
        } catch (UnavailableException e) {
          return new Selection(java(), e.getMessage());
        }
    }
  }

  /** What {@link Choice#AUTO} selects in this process: the provider keys use unless told otherwise. */
  public static Selection preferred() {
    return Preferred.SELECTION;
  }

  private static final class Preferred {
    static final Selection SELECTION = select(Choice.AUTO);
  }

  @Override
  public String toString() {
    return description();
  }
}
