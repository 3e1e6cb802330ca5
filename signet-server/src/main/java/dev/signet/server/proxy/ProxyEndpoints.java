package dev.signet.server.proxy;

import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/** Every configured HTTP route, {@code <prefix>/*}: verified as the route requires, then forwarded to its upstream with the identity. */
public final class ProxyEndpoints implements Face {
  private final Vertx vertx;
  private final Routes routes;
  private final int idleTimeoutSeconds;
  private final Replies replies;

  public ProxyEndpoints(Vertx vertx, Routes routes, int idleTimeoutSeconds, Replies replies) {
    this.vertx = vertx;
    this.routes = routes;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.replies = replies;
  }

  @Override
  public void mount(Router router) {
    for (Routes.Guarded g : routes.guarded()) {
      if (g.route().websocket()) {
        continue;
      }
      RouteProxy proxy = new RouteProxy(vertx, g.route(), idleTimeoutSeconds);
      router.route(g.prefix() + "/*").handler(ctx -> {
        // Mounted in prefix order; a longer prefix of another face (a WebSocket route) may own the path.
        if (routes.covering(ctx.request().path()) != g) {
          ctx.next();
          return;
        }
        Buffer body = ctx.body().buffer();
        routes.verify(ctx, g, ctx.request().method().name(), ctx.request().uri())
            .onSuccess(p -> proxy.forward(ctx, p, routes.identityToken(p, g), body)).onFailure(t -> replies.fail(ctx, t));
      });
    }
  }
}
