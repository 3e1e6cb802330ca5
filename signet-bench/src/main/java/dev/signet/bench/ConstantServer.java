package dev.signet.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The framework's floor for {@code bench/load.sh}: a minimal Vert.x HTTP server answering every
 * request with a constant JSON body, set up as {@code signet serve} sets up its own (native
 * transport where it loads, one server verticle per core on one shared port), so that its CPU per
 * request is what Vert.x itself costs here.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.signet.bench.ConstantServer PORT}
 */
public final class ConstantServer {
  private static final Buffer BODY = Buffer.buffer("{\"data\":{\"status\":\"ok\"}}");

  private ConstantServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(options)
            .requestHandler(r -> r.response().putHeader("Content-Type", "application/json").end(BODY))
            .listen();
      }
    }, new DeploymentOptions().setInstances(Math.max(1, Runtime.getRuntime().availableProcessors())))
        .toCompletionStage().toCompletableFuture().get();
    System.out.println("listening on " + port + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (Java NIO)"));
  }
}
