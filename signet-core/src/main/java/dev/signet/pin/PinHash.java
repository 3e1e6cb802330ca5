package dev.signet.pin;

import dev.signet.codec.Base64Url;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Stored PINs: Argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane) in a PHC-style string,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH} (unpadded base64url). A 6-digit PIN has only a
 * million values, so the slow hash buys time, not safety: the lockout does the rest.
 */
public final class PinHash {
  private static final int MEMORY_KIB = 19_456;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private PinHash() {}

  public static String hash(byte[] pin, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] h = argon2(pin, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
        + Base64Url.encode(salt) + "$" + Base64Url.encode(h);
  }

  /** Constant-time comparison of {@code pin} against a stored hash; false for a malformed hash. */
  public static boolean matches(byte[] pin, String stored) {
    String[] p = stored.split("\\$");
    if (p.length != 6 || !p[1].equals("argon2id") || !p[2].equals("v=19")) {
      return false;
    }
    try {
      String[] params = p[3].split(",");
      int m = Integer.parseInt(params[0].substring(2));
      int t = Integer.parseInt(params[1].substring(2));
      int par = Integer.parseInt(params[2].substring(2));
      byte[] salt = Base64Url.decode(p[4]);
      byte[] expected = Base64Url.decode(p[5]);
      return MessageDigest.isEqual(argon2(pin, salt, m, t, par), expected);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static byte[] argon2(byte[] pin, byte[] salt, int memoryKib, int iterations, int parallelism) {
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
    byte[] out = new byte[HASH_BYTES];
    g.generateBytes(pin, out);
    return out;
  }
}
