package dev.signet.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.pin.PinBlock;
import dev.signet.pin.PinException;
import dev.signet.verify.Principal;
import dev.signet.verify.VerificationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP API node over a {@link Backend}: verifies every request with signet-core and answers
 * in the seeds' envelope. With {@code failAfterVerify}, it verifies (consuming the token) and then
 * answers 503, like a node that breaks mid-request.
 */
final class TestApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer http;
  private final Backend backend;
  private final boolean failAfterVerify;
  final List<String> requestIds = new CopyOnWriteArrayList<>();
  final List<String> tokens = new CopyOnWriteArrayList<>();

  TestApiServer(Backend backend, boolean failAfterVerify) throws IOException {
    this.backend = backend;
    this.failAfterVerify = failAfterVerify;
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.createContext("/", this::handle);
    http.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      String target = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      requestIds.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Request-Id")));
      if (path.equals("/currentUser")) {
        reply(ex, 200, Map.of("data", Map.of("logged_in", false, "auth_identifier", Backend.AUTH_ID,
            "networks", List.of("hive"), "auth_timeout_blocks", 20)));
        return;
      }
      if (path.equals("/getToken")) {
        try {
          reply(ex, 200, Map.of("data", backend.login(new String(body, StandardCharsets.US_ASCII).strip())));
        } catch (VerificationException e) {
          error(ex, 401, e.failure().code());
        }
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
      tokens.add(bearer);
      Principal p;
      try {
        p = auth == null && ex.getRequestHeaders().containsKey("Signature-Input")
            ? backend.authenticateSigned(new dev.signet.verify.RequestView(ex.getRequestMethod(), target, uri().toString(), body,
                name -> ex.getRequestHeaders().getOrDefault(name, List.of())))
            : backend.authenticate(ex.getRequestMethod(), target, body, bearer);
      } catch (VerificationException e) {
        error(ex, e.failure().httpStatus(), e.failure().code());
        return;
      }
      if (failAfterVerify) {
        error(ex, 503, "node failing");
        return;
      }
      route(ex, path, body, p);
    }
  }

  private void route(HttpExchange ex, String path, byte[] body, Principal p) throws IOException {
    switch (path) {
      case "/me": {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("scheme", p.scheme().wireName());
        me.put("user_id", p.userId());
        me.put("scopes", p.scopes());
        me.put("request_id", ex.getRequestHeaders().getFirst("X-Request-Id"));
        reply(ex, 200, Map.of("data", me));
        return;
      }
      case "/echo":
        reply(ex, 200, Map.of("data", JSON.readTree(body)));
        return;
      case "/pin": {
        try {
          PinBlock b = backend.decryptPin(p.userId(), JSON.readTree(body).path("pin").asText());
          reply(ex, 200, Map.of("data", Map.of("pin", new String(b.pin(), StandardCharsets.US_ASCII),
              "iterator", Long.toUnsignedString(b.iterator()))));
        } catch (PinException e) {
          error(ex, 400, e.reason().code());
        }
        return;
      }
      case "/text":
        send(ex, 200, "text/plain", "hello".getBytes(StandardCharsets.US_ASCII));
        return;
      case "/huge":
        send(ex, 200, "application/json", ("{\"data\":\"" + "x".repeat(3 << 20) + "\"}").getBytes(StandardCharsets.US_ASCII));
        return;
      default:
        error(ex, 404, "not_found");
    }
  }

  private static void error(HttpExchange ex, int status, String description) throws IOException {
    reply(ex, status, Map.of("error", Map.of("status", status, "code", status == 401 ? 401 : status * 100 + 1, "description", description)));
  }

  private static void reply(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
