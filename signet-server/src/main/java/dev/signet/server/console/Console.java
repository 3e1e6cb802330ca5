package dev.signet.server.console;

import dev.signet.server.http.Face;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operators' web console: static files from the jar ({@code console/}), calling the admin API
 * with the admin token the operator types in (kept in the tab's sessionStorage). Everything it loads
 * comes from this server, which the Content-Security-Policy enforces: no inline script or style, no
 * other origin, no framing. Beside it, {@code GET /openapi.json}: the API's OpenAPI 3.1 document as
 * shipped in the jar.
 */
public final class Console implements Face {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Buffer openapi = resource("/openapi.json");

  @Override
  public void mount(Router router) {
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(openapi));
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

  private static Buffer resource(String name) {
    try (java.io.InputStream in = Console.class.getResourceAsStream(name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("bundled " + name + " is missing", e);
    }
  }
}
