package dev.signet.jwks;

import java.io.IOException;
import java.util.OptionalLong;

/** Where an issuer's key set comes from (in a server: an HTTPS GET of its {@code jwks_uri}). */
@FunctionalInterface
public interface JwksSource {
  /**
   * The document, or an {@link IOException} saying why there is none (unreachable, not 200, too
   * large). Called from one thread at a time.
   */
  Document fetch() throws IOException;

  /**
   * @param maxAgeSeconds the response's {@code Cache-Control: max-age} (0 for {@code no-store} or
   *     {@code no-cache}), or empty when it gave none
   */
  record Document(byte[] body, OptionalLong maxAgeSeconds) {}
}
