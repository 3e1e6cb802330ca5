package dev.signet.server.auth;

import dev.signet.codec.Base64Url;
import dev.signet.store.Store;
import java.security.SecureRandom;
import java.time.Clock;

/** Secrets every node sharing the store shares (the first node creates each), such as the DPoP nonce key. */
public final class SharedSecrets {
  private SharedSecrets() {}

  /** The secret {@code name}, as bytes: read, or created as 32 random bytes when no node has yet. */
  public static byte[] get(Store store, String name, Clock clock, SecureRandom random) {
    String value = store.secret(name).orElseGet(() -> {
      byte[] fresh = new byte[32];
      random.nextBytes(fresh);
      store.createSecret(name, Base64Url.encode(fresh), clock.instant().getEpochSecond());
      return store.secret(name).orElseThrow();
    });
    return Base64Url.decode(value);
  }
}
