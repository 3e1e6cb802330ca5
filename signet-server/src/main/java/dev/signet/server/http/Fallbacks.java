package dev.signet.server.http;

import io.vertx.ext.web.Router;

/** Mounted last: what no face answers gets the envelope too (404, 405, 413, 400), and a failure a logged 500 that shows nothing. */
public final class Fallbacks implements Face {
  private final int maxBodyBytes;

  /** @param maxBodyBytes {@code limits.max_body_bytes}, named in the 413 */
  public Fallbacks(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Router router) {
    router.route().last().handler(ctx -> Envelope.error(ctx, 404, "not_found: no such endpoint"));
    router.errorHandler(405, ctx -> Envelope.error(ctx, 405, "method_not_allowed"));
    router.errorHandler(413, ctx -> Envelope.error(ctx, 413, "body_too_large: limit is " + maxBodyBytes + " bytes"));
    router.errorHandler(400, ctx -> Envelope.error(ctx, 400, "bad_request"));
    router.errorHandler(500, Replies::internalError);
  }
}
