package dev.signet.server.http;

import dev.signet.server.config.ServerConfig;
import dev.signet.server.tls.TlsReloader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Binds the router: one HTTP server per core on the same port, each on its own event loop (Vert.x
 * spreads connections across them, and signature checks run where the request arrived).
 */
public final class Listener {
  /** Where the servers listen, and on how many event loops. */
  public record Bound(int port, int eventLoops) {}

  private Listener() {}

  /** Blocks until every server listens; {@code listening} gets each (for TLS reloads and shutdown). */
  public static Bound listen(Vertx vertx, Router router, ServerConfig config, TlsReloader tls, Consumer<HttpServer> listening) {
    HttpServerOptions options = new HttpServerOptions()
        // No h2c upgrade: gateways (Caddy) pass a client's "Upgrade: h2c" on without its
        // HTTP2-Settings, which an upgrading server must refuse; served as HTTP/1.1 it just works.
        .setHttp2ClearTextEnabled(false)
        .setHost(config.host()).setPort(config.port())
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        .setIdleTimeout(config.limits().idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        // WebSocket routes relay frames as they come: no compression (a deflate context per
        // connection costs more memory than the rest of it), frames up to a whole message's limit.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
        .setMaxWebSocketFrameSize(config.websocket().maxMessageBytes())
        .setMaxWebSocketMessageSize(config.websocket().maxMessageBytes());
    if (tls != null) {
      tls.current().applyTo(options);
    }
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Vert.x shares one socket among servers on the same explicit port, but gives each server its
    // own port for 0: so port 0 is first resolved to a free port (again if it is taken meanwhile).
    Exception last = null;
    for (int attempt = 0; attempt < (config.port() == 0 ? 5 : 1); attempt++) {
      HttpServerOptions bound = new HttpServerOptions(options).setPort(config.port() == 0 ? freePort(config.host()) : config.port());
      try {
        vertx.deployVerticle(() -> new HttpVerticle(bound, router, listening), new DeploymentOptions().setInstances(instances))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new Bound(bound.getPort(), instances);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        last = e;
        vertx.deploymentIDs().forEach(vertx::undeploy);
      }
    }
    throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + Replies.rootMessage(last), last);
  }

  private static int freePort(String host) {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  /** Serves the router on one event loop. */
  private static final class HttpVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Router router;
    private final Consumer<HttpServer> listening;

    HttpVerticle(HttpServerOptions options, Router router, Consumer<HttpServer> listening) {
      this.options = options;
      this.router = router;
      this.listening = listening;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(listening::accept);
    }
  }
}
