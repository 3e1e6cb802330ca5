package dev.signet.spring;

import dev.signet.verify.Principal;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request verified by Signet, as Spring Security's {@code Authentication}: the principal is the
 * Signet {@link Principal} (so {@code @AuthenticationPrincipal Principal p} works), its name the
 * user id, its authorities {@code SCOPE_<scope>} for each scope the token may use. The token itself
 * is not kept: it was single use.
 */
public final class SignetAuthentication extends AbstractAuthenticationToken {
  public static final String SCOPE_PREFIX = "SCOPE_";

  private final Principal principal;

  public SignetAuthentication(Principal principal) {
    super(authorities(principal));
    this.principal = principal;
    setAuthenticated(true);
  }

  private static List<GrantedAuthority> authorities(Principal p) {
    return p.scopes().stream().sorted().<GrantedAuthority>map(s -> new SimpleGrantedAuthority(SCOPE_PREFIX + s)).toList();
  }

  @Override
  public Principal getPrincipal() {
    return principal;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public String getName() {
    return principal.userId();
  }
}
