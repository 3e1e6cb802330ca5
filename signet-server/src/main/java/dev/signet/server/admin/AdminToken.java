package dev.signet.server.admin;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import dev.signet.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The admin API's bearer token: {@code SIGNET_ADMIN_TOKEN}, or else the deployment's token, whose
 * SHA-256 the store keeps so that every node sharing the store accepts it. The first node to start
 * generates it (or adopts an existing {@code admin.token} file), writes it to {@code admin.token} in
 * its data directory (mode 600) and prints it once. Compared by hash, in constant time.
 */
public final class AdminToken {
  public static final String SECRET_NAME = "admin_token_sha256";
  private final byte[] hash;
  private final String generated;

  private AdminToken(byte[] hash, String generated) {
    this.hash = hash;
    this.generated = generated;
  }

  public static AdminToken load(String fromEnv, Store store, Path dataDir, Clock clock, SecureRandom random) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (fromEnv.strip().length() < 16) {
        throw new IllegalArgumentException("SIGNET_ADMIN_TOKEN must be at least 16 characters");
      }
      return new AdminToken(sha256(fromEnv.strip()), null);
    }
    var stored = store.secret(SECRET_NAME);
    if (stored.isPresent()) {
      return new AdminToken(Hex.decode(stored.get()), null);
    }
    Path file = dataDir.resolve("admin.token");
    boolean adopted = Files.exists(file);
    String candidate = adopted ? SecretFile.read(file) : newToken(random);
    if (!store.createSecret(SECRET_NAME, Hex.encode(sha256(candidate)), clock.instant().getEpochSecond())) {
      // Another node created the deployment's token meanwhile: use that one.
      return new AdminToken(Hex.decode(store.secret(SECRET_NAME).orElseThrow()), null);
    }
    if (adopted) {
      return new AdminToken(sha256(candidate), null);
    }
    SecretFile.readOrCreate(file, () -> candidate);
    return new AdminToken(sha256(candidate), candidate);
  }

  private static String newToken(SecureRandom random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Base64Url.encode(raw);
  }

  /** The token when this start generated it (the only time it is shown), else null. */
  public String generated() {
    return generated;
  }

  /**
   * How the audit log names this credential: the first 8 hex digits of its SHA-256 (the store keeps
   * the whole hash anyway), enough to tell a rotated token from the one before, nothing to guess from.
   */
  public String id() {
    return "admin token " + Hex.encode(java.util.Arrays.copyOf(hash, 4));
  }

  public boolean matches(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(hash, sha256(authorization.substring(7)));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
