package dev.signet.servlet;

import dev.signet.limits.InMemoryRateLimiter;
import dev.signet.limits.RateLimitRule;
import dev.signet.limits.RateLimitRules;
import dev.signet.limits.RateLimiter;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.AccessTokenVerifier;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.VerifierPolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies every request it is mapped to, as {@code signet serve} verifies {@code /me}: bot, OAuth
 * and service tokens (and the deployment's access tokens when given a verifier for them), bound to
 * the method, raw target and body, single use, with the policy's required scopes.
 *
 * <p>A verified request reaches the chain with its body readable again, unchanged, and its
 * {@link Principal} both as {@link HttpServletRequest#getUserPrincipal()} (a {@link SignetPrincipal})
 * and as the attribute {@link ServletVerifier#PRINCIPAL_ATTRIBUTE} (see {@link #principal}). A
 * refused one gets 401 (403 for a missing scope, 413 for a body over the limit, 429 over a rate limit, 503 when a
 * dependency cannot answer) with the seeds' error envelope, and never reaches the chain.
 *
 * <pre>{@code
 * SignetFilter filter = SignetFilter.builder(keys).replay(replay).policy(policy).build();
 * servletContext.addFilter("signet", filter).addMappingForUrlPatterns(null, false, "/api/*");
 * }</pre>
 */
public final class SignetFilter implements Filter {
  private final ServletVerifier verifier;

  public SignetFilter(ServletVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  public static Builder builder(KeyResolver keys) {
    return new Builder(keys);
  }

  /** The verified principal of a request that passed this filter. */
  public static Optional<Principal> principal(ServletRequest request) {
    return Optional.ofNullable(request.getAttribute(ServletVerifier.PRINCIPAL_ATTRIBUTE))
        .filter(Principal.class::isInstance).map(Principal.class::cast);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
      throw new ServletException("SignetFilter verifies HTTP requests only");
    }
    VerifiedRequest verified;
    try {
      verified = verifier.verify(http);
    } catch (RefusedException e) {
      e.refusal().writeTo(httpResponse);
      return;
    }
    verified.putRateLimitFields(httpResponse);
    chain.doFilter(verified.request(), response);
  }

  /**
   * What the filter is built from. Replay defaults to an in-memory store of 1M ids (give several
   * instances of an application one shared store instead; with one in memory, see
   * {@link VerifierPolicy#restartSafe}), the clock to the system's, the policy to {@link VerifierPolicy#defaults()},
   * the body limit to 1 MiB.
   */
  public static final class Builder {
    private final KeyResolver keys;
    private ReplayStore replay;
    private Clock clock = Clock.systemUTC();
    private VerifierPolicy policy = VerifierPolicy.defaults();
    private AccessTokenVerifier accessTokens;
    private int maxBodyBytes = 1 << 20;
    private ServletVerifier.Outcomes outcomes = ServletVerifier.Outcomes.NONE;
    private RateLimitRules limits = RateLimitRules.NONE;
    private RateLimiter limiter;

    private Builder(KeyResolver keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    public Builder replay(ReplayStore store) {
      this.replay = Objects.requireNonNull(store);
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder policy(VerifierPolicy p) {
      this.policy = Objects.requireNonNull(p);
      return this;
    }

    /** Also accept these access tokens (for example a Graphene deployment's). */
    public Builder accessTokens(AccessTokenVerifier v) {
      this.accessTokens = Objects.requireNonNull(v);
      return this;
    }

    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = n;
      return this;
    }

    /** Told every verification's scheme, outcome and time, for your metrics. */
    public Builder outcomes(ServletVerifier.Outcomes o) {
      this.outcomes = Objects.requireNonNull(o);
      return this;
    }

    /**
     * Rate limits on verified requests, counted in this instance's memory (at most 1M keys) unless
     * {@link #rateLimiter} names a shared state.
     */
    public Builder rateLimits(List<RateLimitRule> rules) {
      this.limits = new RateLimitRules(rules);
      return this;
    }

    /** Where the rate limits are counted (for several instances, a shared one). */
    public Builder rateLimiter(RateLimiter l) {
      this.limiter = Objects.requireNonNull(l);
      return this;
    }

    public SignetFilter build() {
      ReplayStore store = replay != null ? replay : new InMemoryReplayStore(clock, 1 << 20);
      RateLimiter counted = limiter != null ? limiter : new InMemoryRateLimiter(clock, 1_000_000);
      return new SignetFilter(new ServletVerifier(new BearerAuthenticator(keys, store, clock, policy.restartSafe(store, clock),
          accessTokens), maxBodyBytes, outcomes, limits, counted));
    }
  }
}
