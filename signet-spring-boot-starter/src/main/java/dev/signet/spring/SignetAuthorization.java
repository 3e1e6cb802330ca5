package dev.signet.spring;

import dev.signet.verify.Principal;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;

/**
 * Scope rules with Signet's meaning of {@code FULL}: a bot or service token holding {@code FULL}
 * may use every scope, which {@code hasAuthority("SCOPE_X")} cannot know. Use
 * {@code .requestMatchers("/assets/**").access(SignetAuthorization.hasScope("ASSETS:READ"))}.
 */
public final class SignetAuthorization {
  private SignetAuthorization() {}

  public static <T> AuthorizationManager<T> hasScope(String scope) {
    return (Supplier<Authentication> auth, T object) -> new AuthorizationDecision(covers(auth.get(), scope));
  }

  /** Also for {@code @PreAuthorize("T(dev.signet.spring.SignetAuthorization).covers(authentication, 'ASSETS:READ')")}. */
  public static boolean covers(Authentication auth, String scope) {
    return auth != null && auth.getPrincipal() instanceof Principal p && p.covers(scope);
  }
}
