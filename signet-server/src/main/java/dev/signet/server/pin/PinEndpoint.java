package dev.signet.server.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.server.auth.Authentication;
import dev.signet.server.http.ApiError;
import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import dev.signet.verify.Principal;
import dev.signet.verify.VerificationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /pin/verify}, and the same check for routes with {@code pin: true}: the body's
 * encrypted PIN for the verified bot session, counted in {@code signet_pin_checks_total{outcome}}.
 */
public final class PinEndpoint implements Face {
  private final Vertx vertx;
  private final PinService pins;
  private final Authentication auth;
  private final Replies replies;
  private final MeterRegistry metrics;
  /** PIN checks by outcome ({@code ok} or the refusal's code, e.g. {@code pin_locked}). */
  private final ConcurrentHashMap<String, Counter> checks = new ConcurrentHashMap<>();

  public PinEndpoint(Vertx vertx, PinService pins, Authentication auth, Replies replies, MeterRegistry metrics) {
    this.vertx = vertx;
    this.pins = pins;
    this.auth = auth;
    this.replies = replies;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    router.post("/pin/verify").handler(ctx -> replies.respond(ctx,
        auth.authenticate(ctx, auth.standard()).compose(p -> check(ctx, p)).map(p -> Map.of("valid", true))));
  }

  /** The body's encrypted PIN, checked for {@code p} (a slow hash: on a worker). */
  public Future<Principal> check(RoutingContext ctx, Principal p) {
    return vertx.executeBlocking(() -> {
      try {
        pins.verify(p, pinField(Replies.jsonBody(ctx)));
      } catch (ApiError | VerificationException e) {
        count(e.getMessage().replaceAll(":.*", ""));
        throw e;
      }
      count("ok");
      return p;
    }, false);
  }

  private void count(String outcome) {
    String o = outcome.matches("[a-z_]{1,32}") ? outcome : "other";
    checks.computeIfAbsent(o, k -> Counter.builder("signet.pin.checks").description("PIN checks by outcome (ok or the refusal code)")
        .tag("outcome", k).register(metrics)).increment();
  }

  private static String pinField(ObjectNode body) {
    JsonNode pin = body.get("pin");
    if (pin == null || !pin.isTextual() || pin.textValue().isEmpty()) {
      throw ApiError.badRequest("pin_malformed: body must be {\"pin\": \"<encrypted PIN>\"}");
    }
    return pin.textValue();
  }
}
