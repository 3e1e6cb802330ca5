package dev.signet.server.proxy;

import dev.signet.server.auth.Authentication;
import dev.signet.server.auth.RequestAuthenticator;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.decisions.DecisionApi;
import dev.signet.server.identity.IdentityTokens;
import dev.signet.server.pin.PinEndpoint;
import dev.signet.verify.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * The configured {@code routes}, each with the authenticator that requires its scopes (so that a
 * missing scope is refused before the token is consumed), longest prefix first: the decision API
 * picks the route a path falls under. Both the proxy and the decision API verify through here.
 */
public final class Routes implements DecisionApi.Gate {
  /** A forwarded route with the authenticator that requires its scopes. */
  public record Guarded(String prefix, ServerConfig.Route route, RequestAuthenticator auth) {
    boolean covers(String path) {
      // The prefix "" (configured as "/") covers every path.
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  private final List<Guarded> guarded;
  private final Authentication auth;
  private final PinEndpoint pins;
  private final IdentityTokens identity;
  private final ServerConfig.Identity identityConfig;

  public Routes(List<ServerConfig.Route> routes, Authentication auth, PinEndpoint pins, IdentityTokens identity,
      ServerConfig.Identity identityConfig) {
    this.auth = auth;
    this.pins = pins;
    this.identity = identity;
    this.identityConfig = identityConfig;
    this.guarded = routes.stream()
        .map(r -> new Guarded(r.prefix().replaceAll("/$", ""), r, auth.requiring(new HashSet<>(r.scopes()))))
        .sorted(Comparator.comparingInt((Guarded g) -> g.prefix().length()).reversed())
        .toList();
  }

  public List<Guarded> guarded() {
    return guarded;
  }

  /**
   * Verifies a request for {@code method} and {@code target} as route {@code g} would (its scopes,
   * then its PIN check), or as {@code /me} does when {@code g} is null.
   */
  public Future<Principal> verify(RoutingContext ctx, Guarded g, String method, String target) {
    Future<Principal> verified = auth.authenticate(ctx, g == null ? auth.standard() : g.auth(), method, target);
    return g != null && g.route().pin() ? verified.compose(p -> pins.check(ctx, p)) : verified;
  }

  /** The route with the longest prefix {@code path} falls under, else null. */
  public Guarded covering(String path) {
    for (Guarded g : guarded) {
      if (g.covers(path)) {
        return g;
      }
    }
    return null;
  }

  /** The decision API's check: as the route the target's path falls under, with an identity token for its upstream. */
  @Override
  public Future<DecisionApi.Allowed> verify(RoutingContext ctx, String method, String target) {
    int q = target.indexOf('?');
    Guarded g = covering(q < 0 ? target : target.substring(0, q));
    return verify(ctx, g, method, target).map(p -> new DecisionApi.Allowed(p, identityToken(p, g)));
  }

  /** The signed identity for {@code p}, addressed to {@code identity.audience}, else the route's upstream, else the issuer. */
  public String identityToken(Principal p, Guarded g) {
    String configured = identityConfig.audience();
    String audience = configured != null && !configured.isBlank() ? configured
        : g != null ? g.route().upstream() : identityConfig.issuer();
    return identity.issue(p, audience);
  }
}
