package dev.signet.verify;

import dev.signet.jwt.JwsKey;
import java.util.Objects;
import java.util.Set;

/**
 * A key the server trusts, with the algorithm it was registered for and what it may do.
 *
 * @param owner who the key belongs to; must equal the token's owner claim ({@code uid}/{@code iss})
 * @param userId the user the key acts for (for OAuth, the authorizing user), or null
 * @param grantedScopes the scopes granted at registration, or null for no restriction
 */
public record RegisteredKey(JwsKey key, String owner, String userId, Set<String> grantedScopes) {
  public RegisteredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
    grantedScopes = grantedScopes == null ? null : Set.copyOf(grantedScopes);
  }
}
