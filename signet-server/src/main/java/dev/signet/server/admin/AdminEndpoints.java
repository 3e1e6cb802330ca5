package dev.signet.server.admin;

import static dev.signet.server.http.Replies.jsonBody;
import static dev.signet.server.http.Replies.param;

import dev.signet.server.http.Envelope;
import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import dev.signet.store.Records;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The admin API under {@code /admin/}: every call needs the admin token (and, with
 * {@code admin.client_ca}, a client certificate that CA signed); each change is audited with its actor.
 */
public final class AdminEndpoints implements Face {
  private final AdminApi api;
  private final AdminToken token;
  private final boolean clientCertificates;
  private final SessionUse sessionUse;
  private final Clock clock;
  private final Replies replies;
  private final Supplier<Map<String, Object>> stats;

  /**
   * @param clientCertificates whether {@code admin.client_ca} is set
   * @param stats what {@code GET /admin/stats} answers (see the health face's {@code Stats})
   */
  public AdminEndpoints(AdminApi api, AdminToken token, boolean clientCertificates, SessionUse sessionUse, Clock clock, Replies replies,
      Supplier<Map<String, Object>> stats) {
    this.api = api;
    this.token = token;
    this.clientCertificates = clientCertificates;
    this.sessionUse = sessionUse;
    this.clock = clock;
    this.replies = replies;
    this.stats = stats;
  }

  @Override
  public void mount(Router router) {
    router.route("/admin/*").handler(this::guard);
    router.post("/admin/users").handler(ctx -> replies.blocking(ctx, () -> api.createUser(actor(ctx), jsonBody(ctx))));
    router.post("/admin/users/:uid/sessions").handler(ctx -> replies.blocking(ctx,
        () -> api.createSession(actor(ctx), ctx.pathParam("uid"), jsonBody(ctx))));
    router.put("/admin/users/:uid/pin").handler(ctx -> replies.blocking(ctx, () -> api.setPin(actor(ctx), ctx.pathParam("uid"), jsonBody(ctx))));
    router.delete("/admin/sessions/:sid").handler(ctx -> replies.blocking(ctx, () -> api.deleteSession(actor(ctx), ctx.pathParam("sid"))));
    router.post("/admin/oauth/authorizations").handler(ctx -> replies.blocking(ctx, () -> api.createAuthorization(actor(ctx), jsonBody(ctx))));
    router.delete("/admin/oauth/authorizations/:aid").handler(ctx -> replies.blocking(ctx,
        () -> api.deleteAuthorization(actor(ctx), ctx.pathParam("aid"))));
    router.post("/admin/service-keys").handler(ctx -> replies.blocking(ctx, () -> api.createServiceKey(actor(ctx), jsonBody(ctx))));
    router.delete("/admin/service-keys/:issuer/:kid").handler(ctx -> replies.blocking(ctx,
        () -> api.deleteServiceKey(actor(ctx), ctx.pathParam("issuer"), ctx.pathParam("kid"))));
    router.get("/admin/users").handler(ctx -> replies.blocking(ctx,
        () -> api.users(param(ctx, "name_prefix"), param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/users/:uid").handler(ctx -> replies.blocking(ctx, () -> api.user(ctx.pathParam("uid"), sessionUse.pending())));
    router.delete("/admin/users/:uid").handler(ctx -> replies.blocking(ctx, () -> api.deleteUser(actor(ctx), ctx.pathParam("uid"))));
    router.get("/admin/oauth/authorizations").handler(ctx -> replies.blocking(ctx,
        () -> api.authorizations(param(ctx, "user_id"), param(ctx, "app_id"), param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/service-keys").handler(ctx -> replies.blocking(ctx, () -> api.serviceKeys(param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/stats").handler(ctx -> replies.respond(ctx, Future.succeededFuture(stats.get())));
    router.get("/admin/audit").handler(ctx -> replies.blocking(ctx, () -> api.audit(param(ctx, "limit"), param(ctx, "cursor"))));
  }

  private void guard(RoutingContext ctx) {
    if (clientCertificates && !hasClientCertificate(ctx)) {
      Envelope.error(ctx, 401, "admin client certificate required (signed by admin.client_ca)");
      return;
    }
    if (!token.matches(ctx.request().getHeader("Authorization"))) {
      Envelope.error(ctx, 401, "admin token required");
      return;
    }
    ctx.next();
  }

  /** Who makes an admin change, for the audit log: the admin token's id, and the client certificate's subject when there is one. */
  private Records.Actor actor(RoutingContext ctx) {
    String who = token.id();
    if (hasClientCertificate(ctx)) {
      try {
        Certificate c = ctx.request().connection().peerCertificates().get(0);
        if (c instanceof X509Certificate x) {
          who = who + ", certificate " + x.getSubjectX500Principal().getName();
        }
      } catch (SSLPeerUnverifiedException e) {
        // checked just above: cannot happen
      }
    }
    SocketAddress from = ctx.request().remoteAddress();
    return new Records.Actor(who, from == null ? "unknown" : from.hostAddress(), clock.instant().getEpochSecond());
  }

  /** Whether the TLS client presented a certificate; the handshake has already validated it against admin.client_ca. */
  private static boolean hasClientCertificate(RoutingContext ctx) {
    if (!ctx.request().isSSL()) {
      return false;
    }
    try {
      return !ctx.request().connection().peerCertificates().isEmpty();
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }
}
