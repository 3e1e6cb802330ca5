package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.dpop.DpopSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.server.testing.RpcNodeDouble;
import dev.signet.testing.Fixtures;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPoP-bound Graphene access tokens (RFC 9449) on a running server: issued for a proof at
 * {@code /getToken}, then accepted only with a fresh proof by the same key, on {@code /me},
 * {@code /currentUser} and the decision API. The recorded seed login trades once per server start,
 * so the bearer and nonce cases use restarts on the same store (the same token signing key).
 */
class DpopE2ETest {
  @TempDir
  Path dir;

  final DpopSigner key = DpopSigner.ed25519(Fixtures.newEd25519(), Clock.systemUTC());

  LocalServer start(RpcNodeDouble node, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
        "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url()));
    env.putAll(extra);
    return new LocalServer(dir, env);
  }

  static Reply dpop(LocalServer s, String method, String target, String token, String proof) throws Exception {
    Map<String, String> h = new HashMap<>();
    h.put("Authorization", "DPoP " + token);
    if (proof != null) {
      h.put("DPoP", proof);
    }
    return s.call(method, target, null, h);
  }

  static String login(LocalServer s, String proof, String expectType) throws Exception {
    Reply r = s.call("POST", "/getToken", GrapheneE2ETest.SEED_004, proof == null ? Map.of() : Map.of("DPoP", proof));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.data().get("token_type").asText()).isEqualTo(expectType);
    return r.data().get("access_token").asText();
  }

  @Test
  void aBoundTokenNeedsAFreshProofByItsKeyOnEveryRequest() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble(); LocalServer s = start(node, Map.of())) {
      String origin = s.base();
      String token = login(s, key.proof("POST", origin + "/getToken", null, null), "DPoP");

      String proof = key.proof("GET", origin + "/me", token, null);
      Reply me = dpop(s, "GET", "/me", token, proof);
      assertThat(me.status()).as(me.raw().body()).isEqualTo(200);
      assertThat(me.data().get("scheme").asText()).isEqualTo("graphene");
      assertThat(dpop(s, "GET", "/currentUser", token, key.proof("GET", origin + "/currentUser", token, null)).data()
          .get("logged_in").asBoolean()).isTrue();

      // Reused jti.
      assertThat(dpop(s, "GET", "/me", token, proof).description()).startsWith("replayed");
      // Bound token sent as Bearer.
      Reply bearer = s.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token));
      assertThat(bearer.status()).isEqualTo(401);
      assertThat(bearer.description()).startsWith("invalid_dpop_proof").contains("not as Bearer");
      assertThat(bearer.raw().headers().firstValue("WWW-Authenticate").orElse("")).startsWith("DPoP ").contains("error=\"invalid_dpop_proof\"");
      // No proof, wrong htm, wrong htu, missing ath, another key.
      assertThat(dpop(s, "GET", "/me", token, null).description()).startsWith("invalid_dpop_proof").contains("DPoP header");
      assertThat(dpop(s, "GET", "/me", token, key.proof("POST", origin + "/me", token, null)).description()).contains("htm");
      assertThat(dpop(s, "GET", "/me", token, key.proof("GET", origin + "/currentUser", token, null)).description()).contains("htu");
      assertThat(dpop(s, "GET", "/me", token, key.proof("GET", "https://other.example/me", token, null)).description()).contains("htu");
      assertThat(dpop(s, "GET", "/me", token, key.proof("GET", origin + "/me", null, null)).description()).contains("ath");
      DpopSigner other = DpopSigner.ed25519(Fixtures.newEd25519(), Clock.systemUTC());
      assertThat(dpop(s, "GET", "/me", token, other.proof("GET", origin + "/me", token, null)).description()).contains("bound to");
      // Two DPoP headers.
      Reply two = s.call("GET", "/me", null, Map.of("Authorization", "DPoP " + token, "DPoP", proof + ", " + proof));
      assertThat(two.status()).isEqualTo(401);

      // The decision API checks the proof against the request the gateway names, with the query ignored.
      Reply decided = dpop(s, "GET", "/decisions/api/orders?page=2", token, key.proof("GET", origin + "/api/orders", token, null));
      assertThat(decided.status()).as(decided.raw().body()).isEqualTo(200);
      assertThat(decided.raw().headers().firstValue("X-Signet-User")).contains("aliveprotocol");
      assertThat(s.call("GET", "/metrics", null, Map.of()).raw().body())
          .contains("outcome=\"invalid_dpop_proof\"");
    }
  }

  @Test
  void bearerTokensStayBearerAndAreNotAcceptedAsDpop() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      try (LocalServer s = start(node, Map.of())) {
        String token = login(s, null, "Bearer");
        assertThat(s.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(200);
        assertThat(dpop(s, "GET", "/me", token, key.proof("GET", s.base() + "/me", token, null)).description())
            .contains("not DPoP-bound");
      }
      // An ES256 key, a bad proof at the token endpoint: no token, and the login payload is not spent.
      // Another deployment (its own data): on the first one the payload was spent, restart or not.
      try (LocalServer s = start(node, Map.of("SIGNET_DATA_DIR", dir.resolve("other").toString()))) {
        DpopSigner es = DpopSigner.es256(p256(), Clock.systemUTC());
        Reply refused = s.call("POST", "/getToken", GrapheneE2ETest.SEED_004, Map.of("DPoP", es.proof("GET", s.base() + "/getToken", null, null)));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.description()).contains("htm");
        String token = login(s, es.proof("POST", s.base() + "/getToken", null, null), "DPoP");
        assertThat(dpop(s, "GET", "/me", token, es.proof("GET", s.base() + "/me", token, null)).status()).isEqualTo(200);
      }
    }
  }

  @Test
  void serverNoncesAreAskedForThenAccepted() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble(); LocalServer s = start(node, Map.of("SIGNET_DPOP_NONCE", "true"))) {
      String origin = s.base();
      Reply ask = s.call("POST", "/getToken", GrapheneE2ETest.SEED_004, Map.of("DPoP", key.proof("POST", origin + "/getToken", null, null)));
      assertThat(ask.status()).isEqualTo(400);
      assertThat(ask.description()).startsWith("use_dpop_nonce");
      String nonce = ask.raw().headers().firstValue("DPoP-Nonce").orElseThrow();
      String token = login(s, key.proof("POST", origin + "/getToken", null, nonce), "DPoP");

      Reply again = dpop(s, "GET", "/me", token, key.proof("GET", origin + "/me", token, null));
      assertThat(again.status()).isEqualTo(401);
      assertThat(again.description()).startsWith("use_dpop_nonce");
      assertThat(again.raw().headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"use_dpop_nonce\"");
      String fresh = again.raw().headers().firstValue("DPoP-Nonce").orElseThrow();
      assertThat(dpop(s, "GET", "/me", token, key.proof("GET", origin + "/me", token, fresh)).status()).isEqualTo(200);
      assertThat(dpop(s, "GET", "/me", token, key.proof("GET", origin + "/me", token, "forged-nonce")).description())
          .startsWith("use_dpop_nonce");
    }
  }

  static java.security.KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }
}
