package dev.signet.server.limits;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimitRule;
import dev.signet.limits.RateLimitRules;
import dev.signet.limits.RateLimiter;
import dev.signet.server.http.ApiError;
import dev.signet.verify.Principal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rate_limits:} (and routes' {@code rate_limit:}) on verified requests: each policy counts
 * the requests of its key (a user, a session, an OAuth app, a service issuer, a route or a client
 * address) on every verified request or on the paths it lists. Counted only after the credential
 * is verified and its token claimed, so forged tokens cannot spend anyone's quota. A request over a
 * limit is 429 {@code rate_limited} with {@code Retry-After}; every counted answer carries
 * {@code RateLimit-Policy} and {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers-10).
 *
 * <p>Where the state lives is the replay store's business: this node's memory ({@link #memory}),
 * or Redis, counted in the replay claim's own script call.
 */
public final class RateLimits {
  private final RateLimitRules rules;
  private final RateLimiter memory;
  private final Map<String, Counter> limited = new TreeMap<>();

  /** @param memory the state when it is kept on this node; null when Redis keeps it */
  public RateLimits(List<RateLimitRule> rules, RateLimiter memory, MeterRegistry registry) {
    this.rules = new RateLimitRules(rules);
    this.memory = memory;
    for (RateLimitRule r : rules) {
      String name = r.policy().name();
      limited.put(name, Counter.builder("signet_rate_limited").tag("policy", name)
          .description("Verified requests refused 429 by a rate limit").register(registry));
    }
  }

  /** Verified requests refused by each policy since start, for {@code /admin/stats}. */
  public Map<String, Long> limitedCounts() {
    Map<String, Long> out = new TreeMap<>();
    limited.forEach((policy, c) -> out.put(policy, (long) c.count()));
    return out;
  }

  /** The state on this node, or null when the replay store (Redis) counts the limits. */
  public RateLimiter memory() {
    return memory;
  }

  /** What a verified request counts against; empty without limits. */
  public List<Charge> charges(Principal p, String target, String client) {
    return rules.charges(p, target, client);
  }

  /**
   * Puts the outcome's fields on {@code response}.
   *
   * @throws ApiError 429 when a limit refused the request
   */
  public void apply(RateLimitOutcome outcome, HttpServerResponse response) {
    outcome.headers(response.headers()::add);
    Charge refused = outcome.refused();
    if (refused != null) {
      limited.get(refused.policy().name()).increment();
      throw ApiError.tooManyRequests(outcome.description(), outcome.retryAfterSeconds());
    }
  }
}
