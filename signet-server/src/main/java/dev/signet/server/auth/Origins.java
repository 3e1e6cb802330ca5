package dev.signet.server.auth;

import dev.signet.server.http.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code scheme://host[:port]} as clients address this server, for DPoP's {@code htu} and HTTP
 * signatures' {@code @target-uri}: {@code public_origin}; else, from a trusted proxy that sends
 * them, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (what a gateway's client
 * addressed); else this request's scheme and Host header (null without one).
 */
public final class Origins {
  private static final Pattern FORWARDED_HOST = Pattern.compile("[A-Za-z0-9.\\[\\]:-]{1,255}");

  private final String publicOrigin;
  private final TrustedProxies trustedProxies;
  private final boolean tls;

  /** @param publicOrigin {@code public_origin}, empty when not set; @param tls whether this server speaks HTTPS */
  public Origins(String publicOrigin, TrustedProxies trustedProxies, boolean tls) {
    this.publicOrigin = publicOrigin;
    this.trustedProxies = trustedProxies;
    this.tls = tls;
  }

  public String of(RoutingContext ctx) {
    if (!publicOrigin.isEmpty()) {
      return publicOrigin;
    }
    HttpServerRequest r = ctx.request();
    String forwardedHost = firstValue(r.getHeader("X-Forwarded-Host"));
    if (forwardedHost != null && FORWARDED_HOST.matcher(forwardedHost).matches()
        && trustedProxies.contains(r.remoteAddress() == null ? null : r.remoteAddress().hostAddress())) {
      String proto = firstValue(r.getHeader("X-Forwarded-Proto"));
      return ("https".equalsIgnoreCase(proto) ? "https://" : "http://") + forwardedHost;
    }
    String host = r.getHeader("Host");
    return host == null || host.isEmpty() ? null : (tls ? "https://" : "http://") + host;
  }

  /** The first of a comma-separated header's values (proxies append theirs), trimmed; null for none. */
  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String v = (comma < 0 ? header : header.substring(0, comma)).strip();
    return v.isEmpty() ? null : v;
  }
}
