package dev.signet.verify;

import java.time.Instant;
import java.util.Map;
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
}
