package dev.signet.client;

import java.net.URI;
import java.util.List;

/** Base URLs tried in order; a connect error or a 5xx moves on to the next. */
public final class ApiServers {
  /** The seeds' global API first, the China one as fallback. */
  public static final List<URI> MIXIN_GLOBAL = List.of(URI.create("https://api.mixin.one"), URI.create("https://mixin-api.zeromesh.net"));
  /** The seeds' China API first, the global one as fallback. */
  public static final List<URI> MIXIN_CHINA = List.of(URI.create("https://mixin-api.zeromesh.net"), URI.create("https://api.mixin.one"));

  private ApiServers() {}

  static List<URI> check(List<URI> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one API server is needed");
    }
    for (URI u : servers) {
      if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
        throw new IllegalArgumentException("API server must be an http(s) URL: " + u);
      }
      if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
        throw new IllegalArgumentException("API server must have no path (tokens sign the path as sent): " + u);
      }
    }
    return List.copyOf(servers);
  }
}
