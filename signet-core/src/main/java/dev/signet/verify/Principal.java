package dev.signet.verify;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified credential speaks for.
 *
 * @param userId the user (bot uid, authorizing user, service subject, Graphene account)
 * @param sessionId the session id of bot tokens, else null
 * @param appId the OAuth app id or service issuer, else null
 * @param scopes the scopes the request may use ({@code FULL} covers all)
 * @param tokenId the credential's single-use id ({@code jti}, or the payload's signature)
 * @param attributes scheme-specific facts, e.g. {@code authorization_id}, {@code link}, {@code network}
 */
public record Principal(Scheme scheme, String userId, String sessionId, String appId, Set<String> scopes,
    Instant expiresAt, String tokenId, Map<String, String> attributes) {

  public Principal {
    scopes = Set.copyOf(scopes);
    attributes = Map.copyOf(attributes);
  }

  /**
   * Whether this principal may use {@code scope}: it holds it, or it is a bot or service principal
   * holding {@code FULL} (which covers every scope there; OAuth scopes are always named one by one).
   * The rule the verifiers apply to a route's required scopes, for hosts that check scopes later.
   */
  public boolean covers(String scope) {
    return scopes.contains(scope) || (scheme != Scheme.MIXIN_OAUTH && scopes.contains(TokenChecks.FULL));
  }

  /**
   * The registered key this principal's credential was checked against: while it resolves, the
   * credential stands; once its session, user, authorization or service key is removed, it does not.
   * Empty for Graphene logins (their keys live on the chain).
   */
  public Optional<KeyRef> keyRef() {
    return switch (scheme) {
      case MIXIN_BOT -> Optional.of(new KeyRef(scheme, userId, sessionId));
      case HTTP_SIGNATURE -> Optional.of(new KeyRef(scheme, null, sessionId));
      case MIXIN_OAUTH -> Optional.ofNullable(attributes.get("authorization_id")).map(a -> new KeyRef(scheme, appId, a));
      case SERVICE -> Optional.ofNullable(attributes.get("kid")).map(k -> new KeyRef(scheme, appId, k));
      case GRAPHENE -> Optional.empty();
    };
  }
}
