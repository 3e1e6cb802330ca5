package dev.signet.server.console;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operators' web console: static files from the jar ({@code console/}), calling the admin API
 * with the admin token the operator types in (kept in the tab's sessionStorage). Everything it loads
 * comes from this server, which the Content-Security-Policy enforces: no inline script or style, no
 * other origin, no framing.
 */
public final class Console {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private Console() {}

  public static void mount(Router router) {
    StaticHandler files = StaticHandler.create("console").setIndexPage("index.html").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false);
    // The page at /console as at /console/: its links are absolute (/console/...), so both work.
    router.get("/console").handler(Console::headers)
        .handler(ctx -> ctx.response().putHeader("Content-Type", "text/html;charset=UTF-8").sendFile("console/index.html"));
    router.get("/console/*").handler(Console::headers).handler(files);
  }

  private static void headers(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
