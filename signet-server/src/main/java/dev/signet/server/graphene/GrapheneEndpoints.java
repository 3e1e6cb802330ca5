package dev.signet.server.graphene;

import dev.signet.dpop.DpopVerifier;
import dev.signet.replay.ReplayStore;
import dev.signet.server.auth.Authentication;
import dev.signet.server.http.ApiError;
import dev.signet.server.http.Face;
import dev.signet.server.http.Replies;
import dev.signet.verify.Failure;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Graphene logins: {@code GET /currentUser} (without a token: what a client needs to log in; with
 * an access token: who is logged in) and {@code POST /getToken} (a login payload for an access
 * token, bound to the key of a DPoP proof when the request carries one).
 */
public final class GrapheneEndpoints implements Face {
  public static final String TOKEN_PATH = "/getToken";

  private final GrapheneLogins logins;
  private final Authentication auth;
  private final DpopVerifier dpop;
  private final ReplayStore replay;
  private final Replies replies;

  /** @param logins null when Graphene logins are off: both endpoints then answer 404 */
  public GrapheneEndpoints(GrapheneLogins logins, Authentication auth, DpopVerifier dpop, ReplayStore replay, Replies replies) {
    this.logins = logins;
    this.auth = auth;
    this.dpop = dpop;
    this.replay = replay;
    this.replies = replies;
  }

  @Override
  public void mount(Router router) {
    router.get("/currentUser").handler(ctx -> replies.respond(ctx, currentUser(ctx)));
    router.post(TOKEN_PATH).handler(ctx -> {
      replies.putDpopNonce(ctx);
      String proof = ctx.request().getHeader("DPoP");
      String origin = auth.origins().of(ctx);
      replies.tokenEndpoint(ctx, () -> logins().login(ctx.body().buffer(), proof == null ? null : tokenEndpointProof(ctx, proof, origin)));
    });
  }

  private GrapheneLogins logins() {
    if (logins == null) {
      throw ApiError.notFound("not_found: Graphene logins are off (graphene.auth_identifier is not set)");
    }
    return logins;
  }

  private Future<Map<String, Object>> currentUser(RoutingContext ctx) {
    if (ctx.request().getHeader("Authorization") == null) {
      try {
        return Future.succeededFuture(logins().status());
      } catch (ApiError e) {
        return Future.failedFuture(e);
      }
    }
    return auth.authenticate(ctx, auth.standard()).map(GrapheneEndpoints::loggedIn);
  }

  private static Map<String, Object> loggedIn(Principal p) {
    if (p.scheme() != Scheme.GRAPHENE) {
      throw new ApiError(400, "bad_request: /currentUser takes a Graphene access token");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("logged_in", true);
    out.put("user", p.userId());
    out.put("link", p.attributes().get("link"));
    out.put("network", p.attributes().get("network"));
    out.put("expires_at", p.expiresAt().getEpochSecond());
    return out;
  }

  /** A DPoP proof sent to {@code /getToken}: checked and claimed; the thumbprint of its key. On a worker. */
  private String tokenEndpointProof(RoutingContext ctx, String proof, String origin) throws VerificationException {
    if (ctx.request().headers().getAll("DPoP").size() > 1) {
      throw new VerificationException(Failure.DPOP_PROOF, "a request carries one DPoP header");
    }
    if (origin == null) {
      throw new VerificationException(Failure.DPOP_PROOF, "the request has no Host to check htu against");
    }
    DpopVerifier.Checked c = dpop.check(proof, "POST", origin + TOKEN_PATH, null, null);
    TokenChecks.singleUse(replay, c.replayId(), c.issuedAt(), c.until());
    return c.thumbprint();
  }
}
