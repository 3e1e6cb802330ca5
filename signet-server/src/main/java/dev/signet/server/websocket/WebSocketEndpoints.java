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
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

  private final Routes routes;
  private final Replies replies;
  private final ServerConfig.WebSocket config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Upstreams upstreams;
  private final WebSocketMetrics metrics;
  private final OpenConnections open;

  /** @param keys the resolver the verifier uses: a connection stands while its credential's key resolves */
  public WebSocketEndpoints(Vertx vertx, Routes routes, Replies replies, ServerConfig.WebSocket config, int connectTimeoutSeconds,
      KeyResolver keys, Clock clock, MeterRegistry registry) {
    this.routes = routes;
    this.replies = replies;
    this.config = config;
    this.clock = clock;
    this.upstreams = new Upstreams(vertx, connectTimeoutSeconds, random);
    this.metrics = new WebSocketMetrics(registry);
    this.open = new OpenConnections(vertx, keys, clock, config.maxConnectionSeconds(), config.idleTimeoutSeconds());
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
    String problem = handshakeProblem(req);
    if (problem != null) {
      ctx.response().putHeader("Upgrade", "websocket").putHeader("Sec-WebSocket-Version", "13");
      Envelope.error(ctx, problem.startsWith("upgrade_required") ? 426 : 400, problem + " (" + label(g) + ")");
      return;
    }
    // The handshake needs the request unread: held until the verification and the upstream are done.
    req.pause();
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    routes.verify(ctx, g, HttpMethod.GET.name(), req.uri())
        .onSuccess(p -> upstreams.open(channel, g.route().upstream(), req.uri(),
                ForwardedHeaders.webSocketUpgrade(req.headers(), p, routes.identityToken(p, g)), offered(req))
            .onSuccess(up -> accept(ctx, channel, p, up))
            .onFailure(e -> refuse(ctx, () -> Envelope.error(ctx, 502, e instanceof Upstreams.Refused r && r.reached
                ? "upstream_refused: " + label(g) + " " + r.getMessage()
                : "upstream_unavailable: " + label(g) + " " + (e instanceof Upstreams.Refused ? e.getMessage() : "could not be reached")))))
        .onFailure(t -> refuse(ctx, () -> replies.fail(ctx, t)));
  }

  /** A refusal ends the connection: the client may already be sending frames it thinks are welcome. */
  private static void refuse(RoutingContext ctx, Runnable reply) {
    ctx.request().resume();
    ctx.response().putHeader("Connection", "close");
    reply.run();
  }

  private void accept(RoutingContext ctx, Channel channel, Principal p, Upstreams.Opened up) {
    String key = ctx.request().getHeader("Sec-WebSocket-Key");
    ctx.response().putHeader("Upgrade", "websocket").putHeader("Connection", "Upgrade")
        .putHeader("Sec-WebSocket-Accept", Handshakes.accept(key));
    if (up.subprotocol() != null) {
      ctx.response().putHeader(PROTOCOL, up.subprotocol()); // the upstream's choice, relayed
    }
    // The 101 is Vert.x's own tunnel answer; from then on the socket's bytes are the relay's.
    ctx.request().toNetSocket().onSuccess(socket -> {
      if (!channel.isActive() || !up.channel().isActive()) {
        channel.close();
        up.close();
        return;
      }
      Relay[] relay = new Relay[1];
      relay[0] = new Relay(channel, up.channel(), p, clock, config.maxMessageBytes(), metrics, random, () -> open.remove(relay[0]));
      install(channel.pipeline(), relay[0]);
      up.relayTo(relay[0].upstreamSide());
      open.add(relay[0]);
      relay[0].start();
    }).onFailure(e -> up.close());
  }

  private static void install(ChannelPipeline pipeline, Relay relay) {
    // Vert.x names the connection's handler "handler" and its HTTP idle timer "idle" (details that
    // WebSocketE2ETest pins). The relay takes the handler's place: Vert.x's socket object and the
    // HTTP connection behind it, with their queues, are let go (the server's channel group still
    // closes the socket on shutdown). The WebSocket's idle timeout (OpenConnections' sweep)
    // replaces the HTTP one.
    if (pipeline.get("idle") != null) {
      pipeline.remove("idle");
    }
    if (pipeline.get("handler") != null) {
      pipeline.replace("handler", "relay", relay.clientSide());
    } else {
      pipeline.addLast("relay", relay.clientSide());
    }
  }

  /** Why {@code req} is not an opening handshake Signet can answer (RFC 6455 4.2.1), or null. */
  private static String handshakeProblem(HttpServerRequest req) {
    if (!isUpgrade(req) || req.version() != HttpVersion.HTTP_1_1) {
      return "upgrade_required: this route takes WebSocket upgrades (GET, HTTP/1.1) only";
    }
    if (!"13".equals(trim(req.getHeader("Sec-WebSocket-Version")))) {
      return "upgrade_required: WebSocket version 13 only";
    }
    String connection = req.getHeader("Connection");
    if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      return "bad_request: a WebSocket upgrade needs Connection: Upgrade";
    }
    if (!Handshakes.validKey(req.getHeader("Sec-WebSocket-Key"))) {
      return "bad_request: Sec-WebSocket-Key must be 16 bytes in base64";
    }
    return null;
  }

  private static List<String> offered(HttpServerRequest req) {
    String offered = req.getHeader(PROTOCOL);
    if (offered == null || offered.isBlank()) {
      return List.of();
    }
    return Arrays.stream(offered.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }

  /** A WebSocket opening handshake: {@code GET} with {@code Upgrade: websocket}. */
  public static boolean isUpgrade(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return req.method() == HttpMethod.GET && upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  private static String label(Routes.Guarded g) {
    return g.prefix().isEmpty() ? "/" : g.prefix();
  }
}
