package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Reads the chain head from Graphene JSON-RPC nodes, trying each in turn. */
final class GrapheneRpc {
  /** A block to sign a login over. */
  record Head(long number, String id) {}

  private final List<URI> nodes;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json;

  GrapheneRpc(List<URI> nodes, HttpClient http, Duration timeout, ObjectMapper json) {
    this.nodes = List.copyOf(nodes);
    this.http = http;
    this.timeout = timeout;
    this.json = json;
  }

  Head head() {
    RuntimeException last = null;
    for (URI node : nodes) {
      try {
        JsonNode r = call(node, "condenser_api.get_dynamic_global_properties");
        long number = r.path("head_block_number").asLong(-1);
        String id = r.path("head_block_id").asText("");
        if (number <= 0 || !id.matches("[0-9a-f]{40}")) {
          throw new IllegalStateException("node " + node + " returned no head block");
        }
        return new Head(number, id);
      } catch (IOException | RuntimeException e) {
        last = e instanceof RuntimeException re ? re : new IllegalStateException("node " + node + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the chain head", e);
      }
    }
    throw new ApiException(ApiException.NO_RESPONSE, ApiException.NO_RESPONSE, "no Graphene RPC node answered", null, last);
  }

  private JsonNode call(URI node, String method) throws IOException, InterruptedException {
    byte[] body = json.writeValueAsBytes(java.util.Map.of("jsonrpc", "2.0", "method", method, "params", List.of(), "id", 1));
    HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(node).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        LimitedBody.handler(1 << 20));
    JsonNode root = json.readTree(resp.body());
    if (resp.statusCode() != 200 || root == null || root.has("error") || !root.has("result")) {
      throw new IllegalStateException("node " + node + " answered " + resp.statusCode() + " without a result");
    }
    return root.get("result");
  }
}
