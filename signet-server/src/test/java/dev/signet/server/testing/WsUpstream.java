package dev.signet.server.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket upstream on loopback (Vert.x, choosing from its own subprotocols): it echoes every
 * frame as it came, answers the text {@code "close CODE REASON"} with that close, and remembers
 * each handshake's headers and each connection.
 */
public final class WsUpstream implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  public final List<MultiMap> handshakes = new CopyOnWriteArrayList<>();
  public final List<ServerWebSocket> connections = new CopyOnWriteArrayList<>();

  public WsUpstream(List<String> subprotocols) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setWebSocketSubProtocols(subprotocols)
        .setMaxWebSocketFrameSize(4 * 1024 * 1024).setMaxWebSocketMessageSize(4 * 1024 * 1024))
        .webSocketHandler(this::serve)
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The {@code index}th handshake, waited for: the upstream's handler may run just after the client's 101. */
  public MultiMap handshake(int index) throws InterruptedException {
    long until = System.currentTimeMillis() + 5000;
    while (handshakes.size() <= index && System.currentTimeMillis() < until) {
      Thread.sleep(10);
    }
    return handshakes.get(index);
  }

  public int port() {
    return server.actualPort();
  }

  private void serve(ServerWebSocket ws) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(ws.headers());
    copy.set(":path", ws.uri());
    handshakes.add(copy);
    connections.add(ws);
    ws.frameHandler(f -> {
      if (f.isClose() || f.isPing() || f.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
        return;
      }
      if (f.isText() && f.isFinal() && f.textData().startsWith("close ")) {
        String[] parts = f.textData().split(" ", 3);
        ws.close(Short.parseShort(parts[1]), parts.length > 2 ? parts[2] : null);
        return;
      }
      ws.writeFrame(f);
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
