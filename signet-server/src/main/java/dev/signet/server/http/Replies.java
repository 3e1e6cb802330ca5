package dev.signet.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.dpop.DpopNonces;
import dev.signet.json.StrictJson;
import dev.signet.store.StoreException;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every face answers: data in the envelope, work that blocks on a worker, and the one mapping
 * of failures to statuses (typed refusals as their envelope, anything else a logged 500 that shows
 * nothing).
 */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private final Vertx vertx;
  private final DpopNonces dpopNonces;

  /** @param dpopNonces the server's DPoP nonces, sent with every DPoP refusal; null unless {@code dpop.nonce} */
  public Replies(Vertx vertx, DpopNonces dpopNonces) {
    this.vertx = vertx;
    this.dpopNonces = dpopNonces;
  }

  /** Store access and slow hashes block: run them on the worker pool, unordered. */
  public void blocking(RoutingContext ctx, Callable<Object> work) {
    respond(ctx, vertx.executeBlocking(work, false));
  }

  /**
   * The same for a token endpoint, where a proof without the server's nonce is a 400 (RFC 9449
   * section 8), not the 401 of a resource.
   */
  public void tokenEndpoint(RoutingContext ctx, Callable<Object> work) {
    vertx.executeBlocking(work, false).onSuccess(data -> Envelope.data(ctx, data)).onFailure(t -> fail(ctx, t, true));
  }

  public void respond(RoutingContext ctx, Future<?> result) {
    result.onSuccess(data -> Envelope.data(ctx, data)).onFailure(t -> fail(ctx, t));
  }

  /** Typed refusals become their envelope; anything else is an internal error (logged, not shown). */
  public void fail(RoutingContext ctx, Throwable t) {
    fail(ctx, t, false);
  }

  private void fail(RoutingContext ctx, Throwable t, boolean tokenEndpoint) {
    if (t instanceof VerificationException v) {
      int status = v.failure().httpStatus();
      if (v.failure() == Failure.DPOP_PROOF || v.failure() == Failure.DPOP_NONCE) {
        // RFC 9449 sections 7.1 and 8.
        ctx.response().putHeader("WWW-Authenticate", "DPoP algs=\"EdDSA Ed25519 ES256 RS256 PS256\", error=\"" + v.failure().code() + "\"");
        putDpopNonce(ctx);
        if (v.failure() == Failure.DPOP_NONCE && tokenEndpoint) {
          status = 400;
        }
      } else if (status == 401 || status == 403) {
        // RFC 6750 section 3: the challenge, with the error's kind (its detail is in the envelope).
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"signet\", error=\""
            + (status == 401 ? "invalid_token" : "insufficient_scope") + "\"");
      }
      Envelope.error(ctx, status, v.getMessage());
    } else if (t instanceof ApiError a) {
      if (a.retryAfterSeconds() > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
      }
      Envelope.error(ctx, a.status(), a.getMessage());
    } else if (t instanceof StoreException) {
      LOG.warn("store unavailable: {}", rootMessage(t));
      Envelope.error(ctx, 503, "unavailable: store");
    } else {
      ctx.fail(t);
    }
  }

  /** {@code DPoP-Nonce}: the nonce the next proof must carry, when the server requires one. */
  public void putDpopNonce(RoutingContext ctx) {
    if (dpopNonces != null) {
      ctx.response().putHeader("DPoP-Nonce", dpopNonces.current());
    }
  }

  /** The router's 500 handler: the failure is logged with the request id, the client sees the bare envelope. */
  public static void internalError(RoutingContext ctx) {
    LOG.error("internal error on {} {} (request {})", ctx.request().method(), ctx.request().path(),
        ctx.response().headers().get("X-Request-Id"), ctx.failure());
    Envelope.error(ctx, 500, "internal error");
  }

  /** The request's body as one strict JSON object, or a 400 saying why not. */
  public static ObjectNode jsonBody(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    return jsonBody(b == null ? new byte[0] : b.getBytes());
  }

  /** {@code bytes} as one strict JSON object, or a 400 saying why not. */
  public static ObjectNode jsonBody(byte[] bytes) {
    if (bytes.length == 0) {
      throw ApiError.badRequest("a JSON object body is required");
    }
    try {
      return StrictJson.parseObject(bytes);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("body: " + e.getMessage());
    }
  }

  /** A query parameter; given twice is a 400, not a silent pick of one. */
  public static String param(RoutingContext ctx, String name) {
    List<String> all = ctx.queryParam(name);
    if (all.size() > 1) {
      throw ApiError.badRequest(name + " is given more than once");
    }
    return all.isEmpty() ? null : all.get(0);
  }

  /** The innermost cause's message: what a log line says of a failure, never its trace. */
  public static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
