package dev.signet.server;

import dev.signet.codec.Base64Url;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The admin API's bearer token: {@code SIGNET_ADMIN_TOKEN}, or else {@code admin.token} in the data
 * directory, generated (mode 600) on first start. Compared in constant time.
 */
final class AdminToken {
  private final byte[] token;
  private final boolean generated;

  private AdminToken(String token, boolean generated) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.generated = generated;
  }

  static AdminToken load(String fromEnv, Path dataDir, SecureRandom random) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (fromEnv.length() < 16) {
        throw new IllegalArgumentException("SIGNET_ADMIN_TOKEN must be at least 16 characters");
      }
      return new AdminToken(fromEnv.strip(), false);
    }
    SecretFile.Secret s = SecretFile.readOrCreate(dataDir.resolve("admin.token"), () -> {
      byte[] raw = new byte[32];
      random.nextBytes(raw);
      return Base64Url.encode(raw);
    });
    return new AdminToken(s.value(), s.created());
  }

  /** True on the start that created the token: the only time it is printed. */
  boolean generated() {
    return generated;
  }

  String value() {
    return new String(token, StandardCharsets.UTF_8);
  }

  boolean matches(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(token, authorization.substring(7).getBytes(StandardCharsets.UTF_8));
  }
}
