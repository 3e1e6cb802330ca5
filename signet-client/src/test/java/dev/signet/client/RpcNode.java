package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/** A local Graphene JSON-RPC node double serving recorded chain data (no chain is reachable here). */
final class RpcNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer http;

  RpcNode() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      try (ex) {
        JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
        Object answer = "condenser_api.get_dynamic_global_properties".equals(req.path("method").asText())
            ? Map.of("jsonrpc", "2.0", "id", req.path("id").asInt(), "result",
                Map.of("head_block_number", Backend.HEAD, "head_block_id", Backend.HEAD_ID, "time", "2024-01-01T00:00:00"))
            : Map.of("jsonrpc", "2.0", "id", req.path("id").asInt(), "error", Map.of("code", -32601, "message", "no such method"));
        byte[] bytes = JSON.writeValueAsBytes(answer);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
      }
    });
    http.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
