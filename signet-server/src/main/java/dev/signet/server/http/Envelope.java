package dev.signet.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The seeds' response envelope: {@code {"data": ...}} or {@code {"error": {status, code, description}}}. */
public final class Envelope {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pre-encoded header value: written as bytes, not re-encoded on every response. */
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final byte[] INTERNAL_ERROR =
      "{\"error\":{\"status\":500,\"code\":500,\"description\":\"internal error\"}}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Envelope() {}

  public static void data(RoutingContext ctx, Object data) {
    send(ctx, 200, Map.of("data", data));
  }

  /**
   * Written directly, the description quoted by Jackson's own encoder: the same bytes as the map
   * serialized, without a serializer per refusal (most of what a throttled request costs is its answer).
   */
  public static void error(RoutingContext ctx, int status, String description) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(errorBody(status, description));
  }

  /** {@code {"error":{"status":N,"code":N,"description":"..."}}}. */
  static Buffer errorBody(int status, String description) {
    String n = Integer.toString(status);
    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(description);
    return Buffer.buffer(56 + quoted.length).appendString("{\"error\":{\"status\":").appendString(n).appendString(",\"code\":")
        .appendString(n).appendString(",\"description\":\"").appendBytes(quoted).appendString("\"}}");
  }

  /** JSON encoded once (a constant answer), written as it is. */
  public static void encoded(RoutingContext ctx, int status, byte[] json) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(json));
  }

  /** The bytes {@link #data} would send for this body. */
  public static byte[] encode(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + body.getClass().getName(), e);
    }
  }

  private static void send(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    byte[] json;
    try {
      // Straight to UTF-8 bytes: no intermediate String to encode again (measured on GET /me).
      json = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      status = 500;
      json = INTERNAL_ERROR;
    }
    encoded(ctx, status, json);
  }
}
