package dev.signet.spring;

import dev.signet.servlet.RefusedException;
import dev.signet.servlet.ServletVerifier;
import dev.signet.servlet.VerifiedRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Verifies requests that carry {@code Authorization: Bearer} (or, without an {@code Authorization}
 * header, an RFC 9421 message signature by a session), with the same {@link ServletVerifier}
 * as the plain Servlet filter, and makes the result the request's {@link SignetAuthentication}.
 * Requests with neither pass on unauthenticated, so that the application's authorization
 * rules decide (its {@code permitAll()} routes stay open); a bearer token that fails is refused here.
 */
final class SignetAuthenticationFilter extends OncePerRequestFilter {
  private final ServletVerifier verifier;
  private final SecurityContextHolderStrategy contexts;
  private final SecurityContextRepository thisRequestOnly = new RequestAttributeSecurityContextRepository();

  SignetAuthenticationFilter(ServletVerifier verifier, SecurityContextHolderStrategy contexts) {
    this.verifier = verifier;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!SignetConfigurer.carriesCredential(request)) {
      chain.doFilter(request, response);
      return;
    }
    VerifiedRequest verified;
    try {
      verified = verifier.verify(request);
    } catch (RefusedException e) {
      contexts.clearContext();
      e.refusal().writeTo(response);
      return;
    }
    // Stateless: the context lives for this request only, never in a session. It is kept in a request
    // attribute so that the request's error dispatch (404, 405, a controller's exception) still sees
    // it, instead of answering 401 "missing token" to a request that had a good one.
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new SignetAuthentication(verified.principal()));
    contexts.setContext(context);
    thisRequestOnly.saveContext(context, verified.request(), response);
    verified.putRateLimitFields(response);
    chain.doFilter(verified.request(), response);
  }
}
