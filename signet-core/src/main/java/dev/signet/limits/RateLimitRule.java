package dev.signet.limits;

import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import java.util.List;

/**
 * A policy and where it applies: every verified request ({@code prefixes} empty), or the paths at
 * or under one of {@code prefixes}.
 */
public record RateLimitRule(RateLimitPolicy policy, List<String> prefixes) {
  public RateLimitRule {
    prefixes = List.copyOf(prefixes);
  }

  /** The charge of a request for {@code path} by {@code p} from {@code client}, or null when this rule does not count it. */
  public Charge charge(Principal p, String path, String client) {
    String covering = covering(path);
    if (covering == null) {
      return null;
    }
    String key = switch (policy.key()) {
      case USER -> p.userId();
      case SESSION -> p.sessionId();
      case OAUTH_APP -> p.scheme() == Scheme.MIXIN_OAUTH ? p.appId() : null;
      case SERVICE_ISSUER -> p.scheme() == Scheme.SERVICE ? p.appId() : null;
      case ROUTE -> covering;
      case ADDRESS -> client;
    };
    return key == null ? null : new Charge(policy, key);
  }

  /** The prefix covering {@code path} ({@code path} itself for a rule on every request), or null. */
  private String covering(String path) {
    if (prefixes.isEmpty()) {
      return path;
    }
    for (String x : prefixes) {
      String bare = x.endsWith("/") ? x.substring(0, x.length() - 1) : x;
      if (bare.isEmpty() || path.equals(bare) || path.startsWith(bare + "/")) {
        return x;
      }
    }
    return null;
  }
}
