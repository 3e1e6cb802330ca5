package dev.signet.spring;

import dev.signet.servlet.Refusal;
import dev.signet.servlet.ServletVerifier;
import dev.signet.verify.Failure;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Signet in a {@code SecurityFilterChain}, as {@code oauth2ResourceServer()} puts JWTs there:
 *
 * <pre>{@code
 * http.authorizeHttpRequests(a -> a.requestMatchers("/assets/**").hasAuthority("SCOPE_ASSETS:READ")
 *         .anyRequest().authenticated())
 *     .with(SignetConfigurer.signet(), Customizer.withDefaults());
 * }</pre>
 *
 * It verifies bearer tokens with the auto-configured {@link ServletVerifier} (or {@link #verifier}),
 * keeps no session, exempts bearer-token requests from CSRF (a token bound to the request is no
 * ambient credential), and answers 401 and 403 with the seeds' error envelope.
 */
public final class SignetConfigurer extends AbstractHttpConfigurer<SignetConfigurer, HttpSecurity> {
  private static final Logger LOG = LoggerFactory.getLogger(SignetConfigurer.class);
  private ServletVerifier verifier;
  /** Set by {@link #configure}, read by the 403 handler: where and for whom scope refusals are counted. */
  private ServletVerifier.Outcomes outcomes = ServletVerifier.Outcomes.NONE;
  private SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

  public static SignetConfigurer signet() {
    return new SignetConfigurer();
  }

  /** Verify with this instead of the application context's {@link ServletVerifier}. */
  public SignetConfigurer verifier(ServletVerifier v) {
    this.verifier = v;
    return this;
  }

  /** A bearer token, or (without any Authorization) an RFC 9421 signature: what the Signet filter verifies. */
  static boolean carriesCredential(HttpServletRequest request) {
    String h = request.getHeader("Authorization");
    return h != null ? h.regionMatches(true, 0, "Bearer ", 0, 7) : request.getHeader("Signature-Input") != null;
  }

  /**
   * Stateless unless the application's chain says otherwise. Offered as the shared default when the
   * configurer is applied, not in {@link #init}: {@code SessionManagementConfigurer}, applied earlier,
   * decides in its own {@code init} where the security context lives, and a policy set later left
   * it in a new session per verified request, whose cookie then authenticated without a token.
   */
  @Override
  public void setBuilder(HttpSecurity http) {
    super.setBuilder(http);
    if (http.getSharedObject(SessionCreationPolicy.class) == null) {
      http.setSharedObject(SessionCreationPolicy.class, SessionCreationPolicy.STATELESS);
    }
  }

  @Override
  public void init(HttpSecurity http) throws Exception {
    http.csrf(c -> c.ignoringRequestMatchers(SignetConfigurer::carriesCredential));
    http.exceptionHandling(e -> e
        .authenticationEntryPoint((req, res, ex) -> new Refusal(401,
            "malformed: missing Authorization: Bearer token", Failure.MALFORMED).writeTo(res))
        .accessDeniedHandler((req, res, ex) -> {
          countScopeRefusal();
          new Refusal(403, "scope: token lacks a scope this route requires", Failure.SCOPE).writeTo(res);
        }));
  }

  /**
   * A verified token the chain's authorization refused: counted as {@code scope}, as {@code signet
   * serve} counts its routes' scope refusals, so that the dashboard's refusals show it (its
   * verification was counted {@code ok} before).
   */
  private void countScopeRefusal() {
    if (contexts.getContext().getAuthentication() instanceof SignetAuthentication a) {
      outcomes.record(a.getPrincipal().scheme().wireName(), Failure.SCOPE.code(), ServletVerifier.Outcomes.AFTER_VERIFICATION);
    }
  }

  @Override
  public void configure(HttpSecurity http) {
    ServletVerifier v = verifier;
    if (v == null) {
      ApplicationContext context = http.getSharedObject(ApplicationContext.class);
      v = context.getBean(ServletVerifier.class);
    }
    if (!(http.getSharedObject(SecurityContextRepository.class) instanceof RequestAttributeSecurityContextRepository)) {
      LOG.warn("Signet: this SecurityFilterChain keeps security contexts in HTTP sessions (its sessionManagement "
          + "is not STATELESS): a session cookie may then stand in for single-use tokens");
    }
    SecurityContextHolderStrategy shared = http.getSharedObject(SecurityContextHolderStrategy.class);
    if (shared != null) {
      contexts = shared;
    }
    outcomes = v.outcomes();
    http.addFilterBefore(postProcess(new SignetAuthenticationFilter(v, contexts)), BasicAuthenticationFilter.class);
  }
}
