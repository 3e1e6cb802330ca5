package dev.signet.server.auth;

import dev.signet.server.http.Face;
import dev.signet.server.http.Identity;
import dev.signet.server.http.Replies;
import io.vertx.ext.web.Router;

/** {@code GET /me}: who the request's credential names, for every scheme. */
public final class MeEndpoint implements Face {
  private final Authentication auth;
  private final Replies replies;

  public MeEndpoint(Authentication auth, Replies replies) {
    this.auth = auth;
    this.replies = replies;
  }

  @Override
  public void mount(Router router) {
    router.get("/me").handler(ctx -> replies.respond(ctx, auth.authenticate(ctx, auth.standard()).map(Identity::describe)));
  }
}
