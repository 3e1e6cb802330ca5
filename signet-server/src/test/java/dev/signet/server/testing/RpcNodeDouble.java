package dev.signet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Graphene JSON-RPC node double on loopback, answering from recorded data (no chain is reachable
 * here): the key is the method and its JSON params, as in {@code graphene-recorded.json}. Unknown
 * calls answer like a node does: a JSON-RPC error, or an empty result for unknown accounts/blocks.
 */
public final class RpcNodeDouble implements AutoCloseable {
  /** Seed 004's login, which the recorded chain data verifies (once per replay store). */
  public static final String SEED_004_LOGIN = "aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d00755756a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer http;
  public final AtomicInteger calls = new AtomicInteger();

  public RpcNodeDouble() throws IOException {
    JsonNode recorded;
    try (InputStream in = RpcNodeDouble.class.getResourceAsStream("/graphene-recorded.json")) {
      recorded = JSON.readTree(in);
    }
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      try (ex) {
        calls.incrementAndGet();
        JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
        String key = req.path("method").asText() + " " + JSON.writeValueAsString(req.path("params"));
        JsonNode result = recorded.get(key);
        Object answer;
        if (result != null) {
          answer = Map.of("jsonrpc", "2.0", "id", req.path("id"), "result", result);
        } else if (req.path("method").asText().equals("condenser_api.get_accounts")) {
          answer = Map.of("jsonrpc", "2.0", "id", req.path("id"), "result", new Object[0]);
        } else if (req.path("method").asText().equals("condenser_api.get_block")) {
          answer = Map.of("jsonrpc", "2.0", "id", req.path("id"), "result", Map.of());
        } else {
          answer = Map.of("jsonrpc", "2.0", "id", req.path("id"), "error", Map.of("code", -32601, "message", "unknown call " + key));
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
      }
    });
    http.start();
  }

  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
