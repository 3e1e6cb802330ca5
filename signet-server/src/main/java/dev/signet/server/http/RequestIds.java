package dev.signet.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** {@code X-Request-Id} on every answer: the client's own when it is a sane token, else a new one. */
public final class RequestIds {
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");

  private RequestIds() {}

  /** The first handler of every request. */
  public static void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(X_REQUEST_ID);
    String id = given != null && REQUEST_ID.matcher(given).matches() ? given : newRequestId();
    ctx.response().putHeader(X_REQUEST_ID, id);
    ctx.next();
  }

  /** A random (version 4) UUID: unique, not secret, so no SecureRandom (and its lock) per request. */
  private static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }
}
