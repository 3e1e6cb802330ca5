package dev.signet.server.http;

import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How a verified principal leaves the server: as {@code /me}'s data, and as {@code X-Signet-*} headers. */
public final class Identity {
  public static final String HEADER_PREFIX = "x-signet-";
  /** The signed identity token for upstreams (see {@code identity.IdentityTokens}). */
  public static final String TOKEN_HEADER = "X-Signet-Identity";

  private Identity() {}

  public static Map<String, Object> describe(Principal p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scheme", p.scheme().wireName());
    out.put("user_id", p.userId());
    if (p.sessionId() != null) {
      out.put("session_id", p.sessionId());
    }
    if (p.appId() != null) {
      out.put("app_id", p.appId());
    }
    out.put("scopes", p.scopes().stream().sorted().toList());
    if (p.scheme() == Scheme.GRAPHENE) {
      out.put("link", p.attributes().get("link"));
      out.put("network", p.attributes().get("network"));
    }
    return out;
  }

  /** Sets {@code X-Signet-User}, {@code -Session} (when the credential has one), {@code -Scheme} and {@code -Scopes}. */
  public static void putHeaders(MultiMap headers, Principal p) {
    headers.set("X-Signet-User", p.userId());
    if (p.sessionId() != null) {
      headers.set("X-Signet-Session", p.sessionId());
    }
    headers.set("X-Signet-Scheme", p.scheme().wireName());
    headers.set("X-Signet-Scopes", p.scopes().stream().sorted().collect(Collectors.joining(" ")));
  }

  /** Whether a header is one only Signet may set (a client's is dropped). */
  public static boolean isIdentityHeader(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith(HEADER_PREFIX);
  }
}
