package dev.signet.server.proxy;

import dev.signet.server.http.Identity;
import dev.signet.verify.Principal;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * The headers an upstream gets: the client's, less hop-by-hop ones, {@code Authorization} and any
 * {@code X-Signet-*} (only Signet may say who the caller is), plus the verified identity.
 */
public final class ForwardedHeaders {
  /** Not forwarded in either direction (RFC 9110 section 7.6.1), plus what Signet sets itself. */
  static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

  private ForwardedHeaders() {}

  /** For a forwarded request. */
  public static MultiMap request(MultiMap in, Principal p, String identityToken) {
    return copy(in, p, identityToken, false);
  }

  /**
   * For the upstream's WebSocket handshake: the client's own {@code Sec-WebSocket-*} headers are
   * left out too (the upstream connection makes its key, version and extensions; the offered
   * subprotocols are passed on by the caller).
   */
  public static MultiMap webSocketUpgrade(MultiMap in, Principal p, String identityToken) {
    return copy(in, p, identityToken, true);
  }

  static boolean forwardedBack(String name) {
    return !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
  }

  private static MultiMap copy(MultiMap in, Principal p, String identityToken, boolean upgrade) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    in.forEach(h -> {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !Identity.isIdentityHeader(name) && !name.equals("authorization")
          && !(upgrade && name.startsWith("sec-websocket-"))) {
        headers.add(h.getKey(), h.getValue());
      }
    });
    Identity.putHeaders(headers, p);
    headers.set(Identity.TOKEN_HEADER, identityToken);
    return headers;
  }
}
