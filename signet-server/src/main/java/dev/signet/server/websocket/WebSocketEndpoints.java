package dev.signet.server.websocket;

import dev.signet.server.config.ServerConfig;
import dev.signet.server.http.Envelope;
import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import dev.signet.server.proxy.ForwardedHeaders;
import dev.signet.server.proxy.Routes;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.netty.channel.ChannelPipeline;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Routes with {@code websocket: true}: the upgrade is verified as a request on the route would be
 * ({@code GET}, the raw target, an empty body, the route's scopes, single use), and a refusal is
 * that HTTP answer, never a 101. Then the upstream's WebSocket is opened with the identity headers
 * and the client's subprotocols, and only once it is open is the client's upgrade accepted, with
 * the upstream's choice of subprotocol.
 */
public final class WebSocketEndpoints implements Face {
  private static final String PROTOCOL = "Sec-WebSocket-Protocol";

  private final Vertx vertx;
  private final Routes routes;
  private final Replies replies;
  private final ServerConfig.WebSocket config;
  private final Clock clock;
  private final WebSocketClient upstreams;
  private final WebSocketMetrics metrics;
  private final OpenConnections open;

  /** @param keys the resolver the verifier uses: a connection stands while its credential's key resolves */
  public WebSocketEndpoints(Vertx vertx, Routes routes, Replies replies, ServerConfig.WebSocket config, int connectTimeoutSeconds,
      KeyResolver keys, Clock clock, MeterRegistry registry) {
    this.vertx = vertx;
    this.routes = routes;
    this.replies = replies;
    this.config = config;
    this.clock = clock;
    this.upstreams = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setConnectTimeout(connectTimeoutSeconds * 1000)
        .setMaxConnections(Integer.MAX_VALUE)
        .setMaxFrameSize(config.maxMessageBytes()).setMaxMessageSize(config.maxMessageBytes())
        // The client side's timer closes first, with a reason (see IdleClose).
        .setIdleTimeout(config.idleTimeoutSeconds() + 5));
    this.metrics = new WebSocketMetrics(registry);
    this.open = new OpenConnections(vertx, keys, clock, config.maxConnectionSeconds());
  }

  @Override
  public void mount(Router router) {
    for (Routes.Guarded g : routes.guarded()) {
      if (g.route().websocket()) {
        router.route(g.prefix() + "/*").handler(ctx -> handle(ctx, g));
      }
    }
  }

  /** Open connections by scheme, for the console's live view. */
  public Map<String, Integer> openByScheme() {
    return metrics.openByScheme();
  }

  /** SIGTERM, after the drain: closes every connection with 1001 and waits up to {@code waitMillis} for them to end. */
  public void closeAll(long waitMillis) throws InterruptedException {
    open.closeAll();
    long until = System.currentTimeMillis() + waitMillis;
    while (open.size() > 0 && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
  }

  private void handle(RoutingContext ctx, Routes.Guarded g) {
    HttpServerRequest req = ctx.request();
    if (routes.covering(req.path()) != g) {
      ctx.next();
      return;
    }
    if (!isUpgrade(req)) {
      ctx.response().putHeader("Upgrade", "websocket");
      Envelope.error(ctx, 426, "upgrade_required: " + label(g) + " takes WebSocket upgrades only");
      return;
    }
    // The handshake needs the request unread: held until the verification and the upstream are done.
    req.pause();
    Context context = vertx.getOrCreateContext();
    routes.verify(ctx, g, HttpMethod.GET.name(), req.uri())
        .onSuccess(p -> connectUpstream(ctx, g, p).onSuccess(up -> accept(ctx, p, up, context)).onFailure(e -> {
          req.resume();
          ctx.response().putHeader("Connection", "close");
          Envelope.error(ctx, 502, e instanceof UpgradeRejectedException r
              ? "upstream_refused: " + label(g) + " answered the upgrade with " + r.getStatus()
              : "upstream_unavailable: " + label(g) + " could not be reached");
        }))
        .onFailure(t -> {
          req.resume();
          ctx.response().putHeader("Connection", "close");
          replies.fail(ctx, t);
        });
  }

  private Future<WebSocket> connectUpstream(RoutingContext ctx, Routes.Guarded g, Principal p) {
    HttpServerRequest req = ctx.request();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setAbsoluteURI(g.route().upstream().replaceAll("/$", "") + req.uri())
        .setAllowOriginHeader(false)
        .setHeaders(ForwardedHeaders.webSocketUpgrade(req.headers(), p, routes.identityToken(p, g)));
    String offered = req.getHeader(PROTOCOL);
    if (offered != null && !offered.isBlank()) {
      options.setSubProtocols(Arrays.stream(offered.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    return upstreams.connect(options);
  }

  private void accept(RoutingContext ctx, Principal p, WebSocket up, Context context) {
    if (up.subProtocol() != null) {
      // Netty's handshaker adds these response headers to the 101: the upstream's choice, relayed.
      ctx.response().putHeader(PROTOCOL, up.subProtocol());
    }
    // The socket's pipeline, whose HTTP idle timer the WebSocket's replaces once upgraded.
    ChannelPipeline pipeline = ((HttpServerConnection) ctx.request().connection()).channelHandlerContext().pipeline();
    ctx.request().toWebSocket().onSuccess(client -> {
      Promise<CloseReason> ended = Promise.promise();
      Relay relay = new Relay(client, up, p, context, clock.millis(), config.maxMessageBytes(), metrics, ended);
      open.add(relay, ended.future());
      idleTimer(pipeline, relay);
      relay.start();
    }).onFailure(e -> up.close((short) 1001, "client handshake failed"));
  }

  private void idleTimer(ChannelPipeline pipeline, Relay relay) {
    // Vert.x names the connection's idle handler "idle" (an implementation detail that
    // WebSocketE2ETest pins): the WebSocket gets its own timeout instead of the HTTP one.
    IdleClose idle = new IdleClose(config.idleTimeoutSeconds(),
        () -> relay.close((short) 1001, "idle for " + config.idleTimeoutSeconds() + " s", CloseReason.IDLE));
    if (pipeline.get("idle") != null) {
      pipeline.replace("idle", "idle", idle);
    } else {
      pipeline.addFirst("idle", idle);
    }
  }

  /** A WebSocket opening handshake: {@code GET} with {@code Upgrade: websocket}. */
  public static boolean isUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return req.method() == HttpMethod.GET && upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
  }

  private static String label(Routes.Guarded g) {
    return g.prefix().isEmpty() ? "/" : g.prefix();
  }
}
