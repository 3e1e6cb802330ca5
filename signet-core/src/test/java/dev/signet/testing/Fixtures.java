package dev.signet.testing;

import dev.signet.codec.Base64Url;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.PublicKeySign;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.RegisteredKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keys and hand-made tokens shared by the verifier tests. */
public final class Fixtures {
  public static final SecureRandom RANDOM = new SecureRandom();
  /** Generating RSA keys is slow; one per test run is enough. */
  public static final RsaPrivateKey RSA = RsaPrivateKey.generate(2048, RANDOM);
  public static final RsaPrivateKey RSA_OTHER = RsaPrivateKey.generate(2048, RANDOM);

  private Fixtures() {}

  /** A key registry keyed by (scheme, owner, key id), as a store would hold it. */
  public static final class Registry implements KeyResolver {
    private final Map<KeyRef, RegisteredKey> keys = new ConcurrentHashMap<>();

    public Registry add(KeyRef ref, RegisteredKey key) {
      keys.put(ref, key);
      return this;
    }

    public void remove(KeyRef ref) {
      keys.remove(ref);
    }

    @Override
    public Optional<RegisteredKey> resolve(KeyRef ref) {
      return Optional.ofNullable(keys.get(ref));
    }
  }

  /** A token from raw header and claims JSON, signed as given: for tokens no honest signer makes. */
  public static String forge(String headerJson, String claimsJson, PublicKeySign signer) {
    String input = b64(headerJson) + "." + b64(claimsJson);
    return input + "." + Base64Url.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  public static String b64(String json) {
    return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
  }

  public static Ed25519PrivateKey newEd25519() {
    return Ed25519PrivateKey.generate(RANDOM);
  }
}
