package dev.signet.server.limits;

import dev.signet.limits.Gcra;
import dev.signet.limits.InMemoryRateLimiter;
import dev.signet.limits.RateLimitHeaders;
import dev.signet.limits.RateLimitPolicy;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.http.ApiError;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rate_limits:} on verified requests: each policy counts the requests of its key (a user,
 * a session, an OAuth app, a service issuer, a route or a client address) on every verified
 * request or on the routes it lists. Counted only after the credential is verified and its token
 * claimed, so forged tokens cannot spend anyone's quota. A request over a limit is 429
 * {@code rate_limited} with {@code Retry-After}; every answer carries {@code RateLimit-Policy} and
 * {@code RateLimit} (draft-ietf-httpapi-ratelimit-headers-10). One node: state in memory, bounded.
 */
public final class RateLimits {
  /** A policy and where it applies. */
  private record Applied(RateLimitPolicy policy, List<String> prefixes, Counter limited) {
    boolean covers(String path) {
      return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/"));
    }
  }

  private final List<Applied> policies = new ArrayList<>();
  private final InMemoryRateLimiter limiter;

  public RateLimits(List<ServerConfig.RateLimit> config, InMemoryRateLimiter limiter, MeterRegistry registry) {
    this.limiter = limiter;
    for (ServerConfig.RateLimit r : config) {
      RateLimitPolicy p = r.policy();
      policies.add(new Applied(p, r.routes(), Counter.builder("signet_rate_limited").tag("policy", p.name())
          .description("Verified requests refused 429 by a rate limit").register(registry)));
    }
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  /**
   * Counts the request against every policy that covers it, putting the fields on {@code response}.
   *
   * @param target the request's target (the one checked, for the decision API)
   * @param client the client address's key, for {@code address} policies
   * @throws ApiError 429 when a policy's limit is reached
   */
  public void count(Principal p, String target, String client, HttpServerResponse response) {
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    for (Applied a : policies) {
      if (!a.covers(path)) {
        continue;
      }
      String key = key(a, p, path, client);
      if (key == null) {
        continue;
      }
      Gcra.Decision d = limiter.acquire(a.policy(), key);
      response.headers().add("RateLimit-Policy", RateLimitHeaders.policy(a.policy()));
      response.headers().add("RateLimit", RateLimitHeaders.limit(a.policy(), d));
      if (!d.allowed()) {
        a.limited().increment();
        RateLimitPolicy rp = a.policy();
        throw ApiError.tooManyRequests("rate_limited: " + rp.name() + " allows " + rp.rate() + " requests per " + rp.perSeconds()
            + " s per " + rp.key().wireName() + "; retry in " + d.retryAfterSeconds() + " s", d.retryAfterSeconds());
      }
    }
  }

  /** The key's value for this request, or null when the policy's key does not apply to it. */
  private static String key(Applied a, Principal p, String path, String client) {
    return switch (a.policy().key()) {
      case USER -> p.userId();
      case SESSION -> p.sessionId();
      case OAUTH_APP -> p.scheme() == Scheme.MIXIN_OAUTH ? p.appId() : null;
      case SERVICE_ISSUER -> p.scheme() == Scheme.SERVICE ? p.appId() : null;
      case ROUTE -> a.prefixes().stream().filter(x -> path.equals(x) || path.startsWith(x.endsWith("/") ? x : x + "/")).findFirst()
          .orElse(path);
      case ADDRESS -> client;
    };
  }
}
