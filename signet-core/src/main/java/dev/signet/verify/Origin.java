package dev.signet.verify;

import java.net.URI;
import java.util.Locale;

/**
 * The origin of an http(s) URI, normalised as RFC 3986 section 6.2.3 compares it: scheme and host
 * in lower case, the port only when it is not the scheme's default. What DPoP's {@code htu} and
 * HTTP signatures' {@code @authority} and {@code @scheme} are built from.
 */
public final class Origin {
  private Origin() {}

  /** {@code scheme://host[:port]}, or null when {@code u} is not an http or https URI with a host. */
  public static String of(URI u) {
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null) {
      return null;
    }
    int port = u.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
