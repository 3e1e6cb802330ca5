package dev.signet.server.limits;

import dev.signet.server.http.Envelope;
import dev.signet.server.identity.JwksEndpoint;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The refusal throttle at the door: a throttled address's requests to endpoints that verify
 * credentials are answered 429 by the router's first handlers, before the body is read or a route
 * matched, so that a flood costs little more than its bytes. Signet's endpoints that verify no
 * credential (health, metrics, the admin API with its own token, the console, the OpenAPI
 * document, the JWKS) stay reachable from it: an operator behind the same address as a flood is not
 * locked out. Every path that verifies passes here first, so this is the one check;
 * {@code Authentication} takes the address found here ({@link #client}) to count refusals and
 * address limits.
 */
public final class ThrottleGate implements Handler<RoutingContext> {
  /** Where the client address's key is kept for the request's later handlers. */
  private static final String CLIENT = "signet.client";

  private final RefusalThrottle throttle;
  private final ClientAddresses addresses;

  public ThrottleGate(RefusalThrottle throttle, ClientAddresses addresses) {
    this.throttle = throttle;
    this.addresses = addresses;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null || !verifies(path)) {
      ctx.next();
      return;
    }
    String client = addresses.of(ctx.request());
    long wait = throttle.retryAfterSeconds(client);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Envelope.error(ctx, 429, throttled(wait));
      return;
    }
    if (client != null) {
      ctx.put(CLIENT, client);
    }
    ctx.next();
  }

  /** The client address's key this gate found for {@code ctx}'s request, or null when it has none. */
  public static String client(RoutingContext ctx) {
    return ctx.get(CLIENT);
  }

  private static String throttled(long wait) {
    return "throttled: too many refused requests from this address; retry in " + wait + " s";
  }

  private static boolean verifies(String path) {
    return !(path.equals("/healthz") || path.equals("/metrics") || path.equals("/admin") || path.startsWith("/admin/")
        || path.equals("/console") || path.startsWith("/console/") || path.equals("/openapi.json") || path.equals(JwksEndpoint.PATH));
  }
}
