package dev.signet.jwks;

import dev.signet.jwt.JwsKey;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import java.util.Map;
import java.util.Optional;

/**
 * Service-token keys of issuers that publish a JWKS, in front of the registered keys: a
 * {@code (iss, kid)} is looked up in the issuer's set first, then among the keys registered for it
 * (so both work side by side, and a registered key still works while the issuer's JWKS is down).
 * Keys from a set carry no scope restriction, as registered service keys.
 */
public final class JwksKeyResolver implements KeyResolver {
  private final Map<String, RemoteJwks> issuers;
  private final KeyResolver registered;
  private final boolean mayBlock;

  /** @param issuers by issuer ({@code iss}) */
  public JwksKeyResolver(Map<String, RemoteJwks> issuers, KeyResolver registered) {
    this(issuers, registered, true);
  }

  private JwksKeyResolver(Map<String, RemoteJwks> issuers, KeyResolver registered, boolean mayBlock) {
    this.issuers = Map.copyOf(issuers);
    this.registered = registered;
    this.mayBlock = mayBlock;
  }

  /**
   * The same sets, never fetching: a fetch that is due throws {@link dev.signet.verify.WouldBlock},
   * and registered keys come from {@code registeredNonBlocking}. For event loops.
   */
  public JwksKeyResolver nonBlocking(KeyResolver registeredNonBlocking) {
    return new JwksKeyResolver(issuers, registeredNonBlocking, false);
  }

  @Override
  public Optional<RegisteredKey> resolve(KeyRef ref) throws VerificationException {
    RemoteJwks jwks = ref.scheme() == Scheme.SERVICE ? issuers.get(ref.owner()) : null;
    if (jwks == null) {
      return registered.resolve(ref);
    }
    Optional<JwsKey> key;
    try {
      key = jwks.key(ref.keyId(), mayBlock);
    } catch (VerificationException e) {
      // The issuer's set is unavailable: a key registered for it still works.
      Optional<RegisteredKey> fallback = registered.resolve(ref);
      if (fallback.isPresent()) {
        return fallback;
      }
      throw e;
    }
    return key.isPresent() ? Optional.of(new RegisteredKey(key.get(), ref.owner(), null, null)) : registered.resolve(ref);
  }
}
