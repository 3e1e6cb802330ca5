package dev.signet.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** The seeds' response envelope: {@code {"data": ...}} or {@code {"error": {status, code, description}}}. */
public final class Envelope {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Envelope() {}

  public static void data(RoutingContext ctx, Object data) {
    send(ctx, 200, Map.of("data", data));
  }

  public static void error(RoutingContext ctx, int status, String description) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("status", status);
    e.put("code", status);
    e.put("description", description);
    send(ctx, status, Map.of("error", e));
  }

  private static void send(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      status = 500;
      json = "{\"error\":{\"status\":500,\"code\":500,\"description\":\"internal error\"}}";
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
  }
}
