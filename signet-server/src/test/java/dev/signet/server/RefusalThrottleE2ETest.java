package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of forged tokens from one client address stops reaching the verifier: past
 * {@code abuse.max_refusals}, its requests are 429 before any signature work (the verification
 * count stops), while other addresses keep being verified. Addresses come from X-Forwarded-For,
 * which the test's loopback socket (a trusted proxy by default) may set.
 */
class RefusalThrottleE2ETest {
  @TempDir
  Path dir;

  static double verifications(LocalServer s) throws Exception {
    return s.call("GET", "/metrics", null, Map.of()).body().lines().filter(l -> l.startsWith("signet_verifications_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static Reply me(LocalServer s, String token, String from) throws Exception {
    return s.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token, "X-Forwarded-For", from));
  }

  @Test
  void forgedTokensFromOneAddressAreRefusedBeforeVerificationUntilTheWindowEnds() throws Exception {
    try (LocalServer s = new LocalServer(dir, Map.of("SIGNET_ABUSE_MAX_REFUSALS", "5", "SIGNET_ABUSE_WINDOW_SECONDS", "2"))) {
      String uid = s.newUser("throttled");
      Ed25519PrivateKey key = Fixtures.newEd25519();
      String sid = s.newSession(uid, key.publicKey().toBase64Url());
      MixinBotSigner good = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
      MixinBotSigner forger = new MixinBotSigner(uid, sid, JwsSigner.eddsa(Fixtures.newEd25519()), Clock.systemUTC());
      String attacker = "203.0.113.9";

      for (int i = 0; i < 5; i++) {
        assertThat(me(s, forger.sign("GET", "/me", new byte[0]), "198.51.100.1, " + attacker).description()).startsWith("bad_signature");
      }
      double before = verifications(s);
      for (int i = 0; i < 20; i++) {
        Reply r = me(s, forger.sign("GET", "/me", new byte[0]), attacker);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.description()).startsWith("throttled");
        assertThat(r.raw().headers().firstValue("Retry-After").map(Integer::parseInt).orElse(0)).isBetween(1, 2);
      }
      assertThat(verifications(s)).as("no verification for a throttled address").isEqualTo(before);

      String unspent = good.sign("GET", "/me", new byte[0]);
      assertThat(me(s, unspent, attacker).status()).as("a good token too: nothing is verified from there").isEqualTo(429);
      // Every path that verifies is closed to it (the decision API, routes, unknown paths), before
      // anything is read or routed; what verifies nothing stays open: an operator there is not locked out.
      Map<String, String> fromAttacker = Map.of("X-Forwarded-For", attacker, "Authorization", "Bearer " + unspent);
      assertThat(s.call("GET", "/decisions/api/x", null, fromAttacker).status()).isEqualTo(429);
      assertThat(s.call("POST", "/pin/verify", "{\"pin\":\"x\"}", fromAttacker).description()).startsWith("throttled");
      assertThat(s.call("GET", "/healthz", null, Map.of("X-Forwarded-For", attacker)).status()).isEqualTo(200);
      assertThat(s.call("GET", "/admin/users", null, Map.of("X-Forwarded-For", attacker, "Authorization", "Bearer " + LocalServer.ADMIN))
          .status()).isEqualTo(200);
      assertThat(verifications(s)).as("still no verification for it").isEqualTo(before);
      assertThat(me(s, good.sign("GET", "/me", new byte[0]), "198.51.100.7").status()).as("another address").isEqualTo(200);

      // Malformed tokens count as well; an IPv6 host counts by its /64.
      for (int i = 0; i < 5; i++) {
        assertThat(me(s, "not-a-token", "2001:db8:1:2::" + i).status()).isEqualTo(401);
      }
      assertThat(me(s, "not-a-token", "2001:db8:1:2::99").status()).isEqualTo(429);
      assertThat(me(s, good.sign("GET", "/me", new byte[0]), "2001:db8:1:3::1").status()).isEqualTo(200);

      // A trusted proxy (loopback here) that names no client is not counted: one client behind a
      // gateway must not throttle the others.
      for (int i = 0; i < 10; i++) {
        assertThat(s.bearer("GET", "/me", null, forger.sign("GET", "/me", new byte[0])).status()).isEqualTo(401);
      }
      assertThat(s.bearer("GET", "/me", null, good.sign("GET", "/me", new byte[0])).status()).isEqualTo(200);

      Thread.sleep(2100);
      assertThat(me(s, unspent, attacker).status()).as("the window is over; the token was never spent").isEqualTo(200);
      assertThat(s.call("GET", "/metrics", null, Map.of()).body()).containsPattern("signet_throttled_total [1-9]");
    }
  }
}
