package dev.signet.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fields against the draft's grammar: each is an RFC 9651 List whose members are Items with a
 * String (the policy's name) and Integer parameters; RateLimit-Policy requires {@code q}, RateLimit
 * requires {@code r}; {@code w} and {@code t} are non-negative Integers.
 */
class RateLimitHeadersTest {
  // RFC 9651: sf-string = DQUOTE *( unescaped / "%" / escaped ) DQUOTE; key = lcalpha *( lcalpha / DIGIT / "_" / "-" / "." / "*" );
  // sf-integer = ["-"] 1*15DIGIT; parameters = *( ";" *SP key [ "=" bare-item ] ). Only what the fields use.
  static final String STRING = "\"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\"\\\\])*\"";
  static final String PARAM = ";[a-z*][a-z0-9_.*-]*=-?[0-9]{1,15}";
  static final Pattern ITEM = Pattern.compile(STRING + "(?:" + PARAM + ")*");

  static void isItemWith(String field, String... requiredParams) {
    assertThat(ITEM.matcher(field).matches()).as("an sf-item: %s", field).isTrue();
    for (String p : requiredParams) {
      assertThat(field).as("parameter %s", p).containsPattern(";" + p + "=[0-9]{1,15}(;|$)");
    }
  }

  @Test
  void policyAndLimitAreStructuredFieldItems() {
    RateLimitPolicy p = new RateLimitPolicy("per-user.v1", RateLimitPolicy.Key.USER, 100, 60, 20);
    isItemWith(RateLimitHeaders.policy(p), "q", "w");
    assertThat(RateLimitHeaders.policy(p)).isEqualTo("\"per-user.v1\";q=20;w=12");
    Gcra.Decision d = Gcra.decide(p, Long.MIN_VALUE, 0);
    isItemWith(RateLimitHeaders.limit(p, d), "r", "t");
    assertThat(RateLimitHeaders.limit(p, d)).isEqualTo("\"per-user.v1\";r=19;t=1");
  }

  @Test
  void aWindowIsNeverZeroAndCountsTheWholeBurst() {
    RateLimitPolicy fast = new RateLimitPolicy("fast", RateLimitPolicy.Key.ADDRESS, 1000, 1, 1);
    assertThat(RateLimitHeaders.policy(fast)).as("1 ms rounds up to 1 s: w is whole seconds").isEqualTo("\"fast\";q=1;w=1");
    RateLimitPolicy slow = new RateLimitPolicy("slow", RateLimitPolicy.Key.ADDRESS, 1, 3600, 24);
    assertThat(RateLimitHeaders.policy(slow)).isEqualTo("\"slow\";q=24;w=86400");
  }
}
