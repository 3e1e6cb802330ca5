package dev.signet.limits;

import dev.signet.verify.Principal;
import java.util.ArrayList;
import java.util.List;

/** Every rate limit of a deployment, in the order they are counted. */
public record RateLimitRules(List<RateLimitRule> rules) {
  public static final RateLimitRules NONE = new RateLimitRules(List.of());

  public RateLimitRules {
    rules = List.copyOf(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * What a verified request counts against.
   *
   * @param target the request's path, with or without its query
   * @param client the client address's key, for {@code address} policies (null: those do not count)
   */
  public List<Charge> charges(Principal p, String target, String client) {
    if (rules.isEmpty()) {
      return List.of();
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    List<Charge> out = new ArrayList<>(rules.size());
    for (RateLimitRule r : rules) {
      Charge c = r.charge(p, path, client);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }
}
