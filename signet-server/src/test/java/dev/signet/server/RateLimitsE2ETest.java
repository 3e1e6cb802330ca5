package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.config.ConfigLoader;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rate_limits:} on one node: counted after verification, 429 with the draft's fields, per route. */
class RateLimitsE2ETest {
  @TempDir
  Path dir;

  static final String YAML = String.join("\n",
      "rate_limits:",
      "  - {name: per-session, key: session, rate: 2, per_seconds: 60, burst: 2}",
      "  - {name: orders, key: user, rate: 1, per_seconds: 60, burst: 1, routes: [/api/orders]}") + "\n";

  MixinBotSigner newSigner(LocalServer s, String uid) throws Exception {
    return newSigner(s, uid, Fixtures.newEd25519());
  }

  MixinBotSigner newSigner(LocalServer s, String uid, Ed25519PrivateKey key) throws Exception {
    lastSession = s.newSession(uid, key.publicKey().toBase64Url());
    return new MixinBotSigner(uid, lastSession, JwsSigner.eddsa(key), Clock.systemUTC());
  }

  String lastSession;

  @Test
  void verifiedRequestsAreCountedPerKeyAndForgedOnesSpendNothing() throws Exception {
    try (LocalServer s = new LocalServer(dir, YAML, Map.of())) {
      String uid = s.newUser("limited");
      MixinBotSigner a = newSigner(s, uid);
      Reply first = s.bearer("GET", "/me", null, a.sign("GET", "/me", new byte[0]));
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.raw().headers().allValues("RateLimit-Policy")).contains("\"per-session\";q=2;w=60");
      assertThat(first.raw().headers().allValues("RateLimit")).contains("\"per-session\";r=1;t=30");
      assertThat(s.bearer("GET", "/me", null, a.sign("GET", "/me", new byte[0])).status()).isEqualTo(200);
      Reply over = s.bearer("GET", "/me", null, a.sign("GET", "/me", new byte[0]));
      assertThat(over.status()).isEqualTo(429);
      assertThat(over.description()).startsWith("rate_limited: per-session allows 2 requests per 60 s per session");
      assertThat(over.json().at("/error/code").asInt()).isEqualTo(429);
      assertThat(over.raw().headers().firstValue("Retry-After")).contains("30");
      assertThat(over.raw().headers().allValues("RateLimit")).contains("\"per-session\";r=0;t=60");

      // Another session of the same user has its own quota; forged tokens for it spend none of it.
      MixinBotSigner b = newSigner(s, uid);
      MixinBotSigner forger = new MixinBotSigner(uid, lastSession, JwsSigner.eddsa(Fixtures.newEd25519()), Clock.systemUTC());
      for (int i = 0; i < 10; i++) {
        assertThat(s.bearer("GET", "/me", null, forger.sign("GET", "/me", new byte[0])).status()).isEqualTo(401);
      }
      assertThat(s.bearer("GET", "/me", null, b.sign("GET", "/me", new byte[0])).status()).isEqualTo(200);
      assertThat(s.bearer("GET", "/me", null, b.sign("GET", "/me", new byte[0])).status()).isEqualTo(200);

      // A policy on listed routes only, here through the decision API.
      MixinBotSigner c = newSigner(s, s.newUser("orders"));
      assertThat(s.bearer("GET", "/decisions/api/orders?page=1", null, c.sign("GET", "/api/orders?page=1", new byte[0])).status())
          .isEqualTo(200);
      Reply second = s.bearer("GET", "/decisions/api/orders/7", null, c.sign("GET", "/api/orders/7", new byte[0]));
      assertThat(second.status()).isEqualTo(429);
      assertThat(second.description()).startsWith("rate_limited: orders");
      assertThat(s.call("GET", "/metrics", null, Map.of()).body()).contains("signet_rate_limited_total{policy=\"orders\"} 1.0")
          .contains("signet_rate_limited_total{policy=\"per-session\"} 1.0");
    }
  }

  @Test
  void badPoliciesAreStartUpErrorsNamingTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.parse("rate_limits:\n  - {name: p, key: user, rate: 0, per_seconds: 1}\n", "c.yaml", Map.of()))
        .hasMessageContaining("rate_limits: p: ").hasMessageContaining("rate and burst must be positive");
    assertThatThrownBy(() -> ConfigLoader.parse("rate_limits:\n  - {name: p, key: tenant, rate: 1}\n", "c.yaml", Map.of()))
        .hasMessageContaining("rate_limits: p: unknown key 'tenant'");
    assertThatThrownBy(() -> ConfigLoader.parse("rate_limits:\n  - {name: p, key: user, rate: 1}\n  - {name: p, key: session, rate: 1}\n",
        "c.yaml", Map.of())).hasMessageContaining("policy p is listed twice");
    assertThatThrownBy(() -> ConfigLoader.parse(null, "c.yaml", Map.of("SIGNET_RATE_LIMITS", "per-user:user:100")))
        .hasMessageContaining("rate_limits: 'per-user:user:100' is not name:key:rate/per_seconds[:burst]");
    assertThatThrownBy(() -> ConfigLoader.parse(null, "c.yaml", Map.of("SIGNET_RATE_LIMITS", "fast:user:2000000/1")))
        .hasMessageContaining("rate_limits: fast: policy fast: at most 1000000 requests per second");
    assertThatThrownBy(() -> ConfigLoader.parse("routes:\n  - {prefix: /api, upstream: \"http://127.0.0.1:9\", "
        + "rate_limit: {key: user, rate: 1, routes: [/x]}}\n", "c.yaml", Map.of()))
        .hasMessageContaining("routes: rate_limit of /api applies to its route; it takes no routes");
    assertThatThrownBy(() -> ConfigLoader.parse("rate_limits:\n  - {name: route.api, key: user, rate: 1}\nroutes:\n"
        + "  - {prefix: /api, upstream: \"http://127.0.0.1:9\", rate_limit: {key: user, rate: 1}}\n", "c.yaml", Map.of()))
        .as("a route's limit is named route + its prefix, and names are unique").hasMessageContaining("policy route.api is listed twice");
    assertThat(ConfigLoader.parse(null, "c.yaml", Map.of("SIGNET_RATE_LIMITS", "per-user:user:100/60:20, per-address:address:5/1"))
        .rateLimitRules()).extracting(r -> r.policy().name() + " " + r.policy().rate() + "/" + r.policy().perSeconds() + " " + r.policy().burst())
        .containsExactly("per-user 100/60 20", "per-address 5/1 5");
  }
}
