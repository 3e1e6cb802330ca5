package dev.signet.server.decisions;

import dev.signet.server.http.ApiError;
import dev.signet.server.http.Face;
import dev.signet.server.http.Identity;
import dev.signet.server.http.TrustedProxies;
import dev.signet.verify.Failure;
import dev.signet.verify.Principal;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Allow or refuse, for gateways that delegate authentication (nginx {@code auth_request}, Traefik
 * {@code forwardAuth}, Envoy {@code ext_authz}, Caddy {@code forward_auth}). The request to check is
 * named either by the path after {@code /decisions} (Envoy's path prefix: method, query, headers and
 * body are the request's own) or, on {@code /decisions} itself, by {@code X-Forwarded-Method} and
 * {@code X-Forwarded-Uri} (Traefik, Caddy) or {@code X-Original-Method} and {@code X-Original-URI}
 * (nginx), believed only from trusted proxies. It is verified exactly as a proxied request would be;
 * 200 (no body) carries the identity in {@code X-Signet-*} headers (and signed, in
 * {@code X-Signet-Identity}), a refusal its envelope.
 */
public final class DecisionApi implements Face {
  public static final String PREFIX = "/decisions";
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

  /** A request allowed: who made it, and the signed identity token for the upstream. */
  public record Allowed(Principal principal, String identityToken) {}

  /** Verifies a request as the server's routes would (their scopes and PIN checks by path). */
  @FunctionalInterface
  public interface Gate {
    Future<Allowed> verify(RoutingContext ctx, String method, String target);
  }

  private final Gate gate;
  private final TrustedProxies trusted;
  private final BiConsumer<RoutingContext, Throwable> fail;
  private final int maxTargetLength;

  /** @param fail writes a refusal (typed errors as their envelope) */
  public DecisionApi(Gate gate, TrustedProxies trusted, int maxTargetLength, BiConsumer<RoutingContext, Throwable> fail) {
    this.gate = gate;
    this.trusted = trusted;
    this.maxTargetLength = maxTargetLength;
    this.fail = fail;
  }

  @Override
  public void mount(Router router) {
    router.route(PREFIX).handler(this::forwarded);
    router.route(PREFIX + "/*").handler(this::prefixed);
  }

  /** {@code ANY /decisions/**}: the request as if made to the path after the prefix. */
  private void prefixed(RoutingContext ctx) {
    HttpServerRequest r = ctx.request();
    String target = r.uri().substring(PREFIX.length());
    decide(ctx, r.method().name(), target.startsWith("/") ? target : "/" + target);
  }

  /** {@code ANY /decisions}: the request the gateway names in forwarded headers. */
  private void forwarded(RoutingContext ctx) {
    HttpServerRequest r = ctx.request();
    String method = first(r, "X-Forwarded-Method", "X-Original-Method");
    String uri = first(r, "X-Forwarded-Uri", "X-Original-URI");
    if (method == null && uri == null) {
      fail.accept(ctx, ApiError.badRequest("bad_request: name the request to check: " + PREFIX
          + "/<path>, or X-Forwarded-Method and X-Forwarded-Uri (X-Original-Method and X-Original-URI)"));
      return;
    }
    if (!trusted.contains(r.remoteAddress() == null ? null : r.remoteAddress().hostAddress())) {
      fail.accept(ctx, new ApiError(403, "forbidden: forwarded request headers are believed only from decisions.trusted_proxies"));
      return;
    }
    if (method == null || !METHOD.matcher(method).matches() || uri == null || !uri.startsWith("/") || uri.length() > maxTargetLength) {
      fail.accept(ctx, ApiError.badRequest("bad_request: the forwarded method must be an HTTP method and the URI a path"));
      return;
    }
    decide(ctx, method, uri);
  }

  private void decide(RoutingContext ctx, String method, String target) {
    Buffer body = ctx.body().buffer();
    boolean noBody = body == null || body.length() == 0;
    gate.verify(ctx, method, target).onSuccess(allowed -> {
      Principal p = allowed.principal();
      Identity.putHeaders(ctx.response().headers(), p);
      ctx.response().putHeader(Identity.TOKEN_HEADER, allowed.identityToken());
      if (p.sessionId() == null) {
        // Present and empty, so that a gateway copying it replaces any value a client sent.
        ctx.response().putHeader("X-Signet-Session", "");
      }
      // No body: nginx's auth_request reads only the head of the answer, and keeps its connection
      // to Signet open only when there is nothing more to read (a body costs a TCP connection per check).
      ctx.response().setStatusCode(200).putHeader("Cache-Control", "no-store").end();
    }).onFailure(t -> fail.accept(ctx, noBody ? explainMissingBody(t) : t));
  }

  /** A mismatch on a bodiless check is most often a gateway that did not forward the body: say so. */
  private static Throwable explainMissingBody(Throwable t) {
    if (t instanceof VerificationException v && v.failure() == Failure.REQUEST_MISMATCH) {
      return new VerificationException(Failure.REQUEST_MISMATCH, "token was signed for another method, path, query or body;"
          + " no body reached this check: if the request has one, the gateway must forward it"
          + " (Traefik forwardBody, Envoy with_request_body)");
    }
    return t;
  }

  private static String first(HttpServerRequest r, String a, String b) {
    String v = r.getHeader(a);
    return v != null ? v : r.getHeader(b);
  }
}
