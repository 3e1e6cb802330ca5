package dev.signet.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitRulesTest {
  static RateLimitPolicy policy(String name, RateLimitPolicy.Key key) {
    return new RateLimitPolicy(name, key, 10, 1, 5);
  }

  static Principal principal(Scheme scheme, String user, String session, String app) {
    return new Principal(scheme, user, session, app, Set.of(), Instant.EPOCH, "t", Map.of());
  }

  final Principal bot = principal(Scheme.MIXIN_BOT, "u1", "s1", null);
  final Principal oauth = principal(Scheme.MIXIN_OAUTH, "u2", null, "app-9");
  final Principal service = principal(Scheme.SERVICE, "svc", null, "https://issuer.example");

  @Test
  void eachKeyTakesItsValueAndSkipsPrincipalsWithout() {
    RateLimitRules rules = new RateLimitRules(List.of(
        new RateLimitRule(policy("u", RateLimitPolicy.Key.USER), List.of()),
        new RateLimitRule(policy("s", RateLimitPolicy.Key.SESSION), List.of()),
        new RateLimitRule(policy("o", RateLimitPolicy.Key.OAUTH_APP), List.of()),
        new RateLimitRule(policy("i", RateLimitPolicy.Key.SERVICE_ISSUER), List.of()),
        new RateLimitRule(policy("a", RateLimitPolicy.Key.ADDRESS), List.of())));
    assertThat(rules.charges(bot, "/me?x=1", "192.0.2.1")).extracting(Charge::id)
        .containsExactly("u:u1", "s:s1", "a:192.0.2.1");
    assertThat(rules.charges(oauth, "/me", null)).extracting(Charge::id).containsExactly("u:u2", "o:app-9");
    assertThat(rules.charges(service, "/me", "192.0.2.1")).extracting(Charge::id)
        .containsExactly("u:svc", "i:https://issuer.example", "a:192.0.2.1");
    assertThat(RateLimitRules.NONE.charges(bot, "/me", "192.0.2.1")).isEmpty();
  }

  @Test
  void routesCoverTheirPrefixAtPathBoundariesOnly() {
    RateLimitRules rules = new RateLimitRules(List.of(
        new RateLimitRule(policy("orders", RateLimitPolicy.Key.ROUTE), List.of("/api/orders", "/api/pay/")),
        new RateLimitRule(policy("all", RateLimitPolicy.Key.ROUTE), List.of("/"))));
    assertThat(rules.charges(bot, "/api/orders?page=2", null)).extracting(Charge::id).containsExactly("orders:/api/orders", "all:/");
    assertThat(rules.charges(bot, "/api/orders/7", null)).extracting(Charge::id).containsExactly("orders:/api/orders", "all:/");
    assertThat(rules.charges(bot, "/api/pay/1", null)).extracting(Charge::id).containsExactly("orders:/api/pay/", "all:/");
    assertThat(rules.charges(bot, "/api/ordersX", null)).extracting(Charge::id).containsExactly("all:/");
  }

  @Test
  void anOutcomeNamesTheRefusingPolicyAndCarriesEveryDecidedField() {
    RateLimitPolicy a = new RateLimitPolicy("per-user", RateLimitPolicy.Key.USER, 100, 60, 20);
    RateLimitPolicy b = new RateLimitPolicy("per-session", RateLimitPolicy.Key.SESSION, 1, 1, 1);
    RateLimitPolicy c = new RateLimitPolicy("never-reached", RateLimitPolicy.Key.SESSION, 1, 1, 1);
    List<Charge> charges = List.of(new Charge(a, "u"), new Charge(b, "s"), new Charge(c, "s"));
    RateLimitOutcome o = new RateLimitOutcome(charges,
        List.of(new Gcra.Decision(true, 0, 19, 0, 1), new Gcra.Decision(false, 0, 0, 1, 1)));
    assertThat(o.refused()).isEqualTo(charges.get(1));
    assertThat(o.retryAfterSeconds()).isEqualTo(1);
    assertThat(o.description()).isEqualTo("rate_limited: per-session allows 1 requests per 1 s per session; retry in 1 s");
    List<String> fields = new ArrayList<>();
    o.headers((name, value) -> fields.add(name + ": " + value));
    assertThat(fields).containsExactly("RateLimit-Policy: \"per-user\";q=20;w=12", "RateLimit: \"per-user\";r=19;t=1",
        "RateLimit-Policy: \"per-session\";q=1;w=1", "RateLimit: \"per-session\";r=0;t=1");
    assertThat(RateLimitOutcome.NONE.refused()).isNull();
  }

  @Test
  void aRedisAnswerIsReadFourNumbersADecisionAndAPartOneIsRefused() {
    RateLimitPolicy a = new RateLimitPolicy("a", RateLimitPolicy.Key.USER, 10, 1, 5);
    List<Charge> two = List.of(new Charge(a, "x"), new Charge(a, "y"));
    RateLimitOutcome o = RedisRateLimitScript.outcome(two, List.of(1L, 5L, 0L, 1L, 1L, 4L, 0L, 1L, 1L, 3L, 0L, 1L), 4);
    assertThat(o.decisions()).hasSize(2);
    assertThat(o.refused()).isNull();
    RateLimitOutcome refused = RedisRateLimitScript.outcome(two, List.of(0L, 0L, 2L, 3L), 0);
    assertThat(refused.refused()).isEqualTo(two.get(0));
    assertThatThrownBy(() -> RedisRateLimitScript.outcome(two, List.of(1L, 4L, 0L, 1L), 0))
        .as("one allowed decision of two charges: the answer was cut").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisRateLimitScript.outcome(two, List.of(1L, 4L, 0L), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RedisRateLimitScript.keys("p:", two)).containsExactly("p:rl:a:x", "p:rl:a:y");
    assertThat(RedisRateLimitScript.args(two)).containsExactly("100000", "5", "100000", "5");
  }

  @Test
  void policiesOutsideWhatTheArithmeticHoldsAreRefusedByName() {
    assertThatThrownBy(() -> new RateLimitPolicy("fast", RateLimitPolicy.Key.USER, 2_000_000, 1, 1))
        .hasMessage("policy fast: at most 1000000 requests per second");
    assertThatThrownBy(() -> new RateLimitPolicy("deep", RateLimitPolicy.Key.USER, 1, 86_400, 10_000))
        .hasMessage("policy deep: burst x per_seconds / rate must be at most ten years");
    assertThat(new RateLimitPolicy("ok", RateLimitPolicy.Key.USER, 1, 86_400, 3_000).burst()).isEqualTo(3_000);
  }
}
