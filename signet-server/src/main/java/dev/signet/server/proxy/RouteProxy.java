package dev.signet.server.proxy;

import dev.signet.server.config.ServerConfig;
import dev.signet.server.http.Envelope;
import dev.signet.verify.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

/** Forwards a verified request to a route's upstream, with the identity in {@code X-Signet-*} headers. */
public final class RouteProxy {
  private final ServerConfig.Route route;
  private final HttpClient client;

  public RouteProxy(Vertx vertx, ServerConfig.Route route, int timeoutSeconds) {
    this.route = route;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutSeconds * 1000)
        .setIdleTimeout(timeoutSeconds).setKeepAlive(true));
  }

  /** @param identityToken the signed identity for the upstream, sent as {@code X-Signet-Identity} */
  public void forward(RoutingContext ctx, Principal p, String identityToken, Buffer body) {
    RequestOptions options = new RequestOptions()
        .setMethod(ctx.request().method())
        .setAbsoluteURI(route.upstream().replaceAll("/$", "") + ctx.request().uri());
    options.setHeaders(ForwardedHeaders.request(ctx.request().headers(), p, identityToken));
    client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> {
          ctx.response().setStatusCode(resp.statusCode());
          resp.headers().forEach(h -> {
            if (ForwardedHeaders.forwardedBack(h.getKey())) {
              ctx.response().headers().add(h.getKey(), h.getValue());
            }
          });
          return b;
        }))
        .onSuccess(b -> ctx.response().end(b))
        .onFailure(e -> Envelope.error(ctx, 502, "upstream_unavailable: " + route.prefix() + " could not be reached"));
  }
}
