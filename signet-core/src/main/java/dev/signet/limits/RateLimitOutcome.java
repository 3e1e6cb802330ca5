package dev.signet.limits;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * What the limits said of one request: a decision per charge, up to the first refusal. Hosts put
 * {@link #headers} on the answer and, when {@link #refused()} is not null, answer 429 with
 * {@link #description()} and {@code Retry-After: }{@link #retryAfterSeconds()}.
 */
public record RateLimitOutcome(List<Charge> charges, List<Gcra.Decision> decisions) {
  public static final RateLimitOutcome NONE = new RateLimitOutcome(List.of(), List.of());

  public RateLimitOutcome {
    charges = List.copyOf(charges);
    decisions = List.copyOf(decisions);
    if (decisions.size() > charges.size()) {
      throw new IllegalArgumentException("more decisions than charges");
    }
  }

  /** The charge refused, or null when every charge conformed. */
  public Charge refused() {
    return !decisions.isEmpty() && !decisions.get(decisions.size() - 1).allowed() ? charges.get(decisions.size() - 1) : null;
  }

  public long retryAfterSeconds() {
    return refused() == null ? 0 : decisions.get(decisions.size() - 1).retryAfterSeconds();
  }

  /** {@code rate_limited: <policy> allows N requests per S s per <key>; retry in R s}, for a refusal. */
  public String description() {
    Charge c = refused();
    if (c == null) {
      return "";
    }
    RateLimitPolicy p = c.policy();
    return "rate_limited: " + p.name() + " allows " + p.rate() + " requests per " + p.perSeconds() + " s per " + p.key().wireName()
        + "; retry in " + retryAfterSeconds() + " s";
  }

  /** {@code RateLimit-Policy} and {@code RateLimit} for each policy decided, in order. */
  public void headers(BiConsumer<String, String> put) {
    for (int i = 0; i < decisions.size(); i++) {
      put.accept("RateLimit-Policy", RateLimitHeaders.policy(charges.get(i).policy()));
      put.accept("RateLimit", RateLimitHeaders.limit(charges.get(i).policy(), decisions.get(i)));
    }
  }
}
