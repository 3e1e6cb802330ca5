package dev.signet.server;

import static dev.signet.server.testing.Deployment.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.ParsedJws;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.Deployment;
import dev.signet.server.testing.LocalServer.Reply;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision API called directly, as each gateway convention calls it. */
class DecisionsE2ETest {
  @TempDir
  Path dir;
  Deployment d;

  @BeforeEach
  void start() throws Exception {
    d = new Deployment(dir, List.of("routes:", "  - {prefix: /assets, upstream: \"http://127.0.0.1:UPSTREAM\", scopes: [ASSETS:READ]}",
        "  - {prefix: /transfers, upstream: \"http://127.0.0.1:UPSTREAM\", pin: true}"));
  }

  @AfterEach
  void stop() throws Exception {
    d.close();
  }

  @Test
  void thePathAfterThePrefixIsCheckedWithTheRequestsOwnMethodQueryAndBody() throws Exception {
    String body = "{\"amount\":\"1\"}";
    Reply r = d.send("POST", "/decisions/payments?x=1&y=%20", body, bearer(d.token("POST", "/payments?x=1&y=%20", body), Map.of()));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("X-Signet-User")).hasValue(d.uid);
    assertThat(r.raw().headers().firstValue("X-Signet-Session")).hasValue(d.sid);
    assertThat(r.raw().headers().firstValue("X-Signet-Scheme")).hasValue("mixin-bot");
    assertThat(r.raw().headers().firstValue("X-Signet-Scopes")).hasValue("FULL");
    assertThat(r.body()).as("no body: nginx keeps its connection only when there is nothing to read").isEmpty();
    assertIdentityToken(r.raw().headers().firstValue("X-Signet-Identity").orElseThrow(), "signet");
  }

  /** Verifies an X-Signet-Identity token with the key the server publishes at /.well-known/jwks.json. */
  void assertIdentityToken(String token, String audience) throws Exception {
    Reply jwks = d.send("GET", "/.well-known/jwks.json", null, Map.of());
    assertThat(jwks.raw().headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    ParsedJws jws = CompactJws.parse(token, 8192);
    com.fasterxml.jackson.databind.JsonNode jwk = null;
    for (com.fasterxml.jackson.databind.JsonNode k : jwks.json().get("keys")) {
      if (k.get("kid").asText().equals(jws.header().keyId())) {
        jwk = k;
      }
    }
    assertThat(jwk).as("the token's kid is published").isNotNull();
    jws.verify(JwsKey.eddsa(Ed25519PublicKey.parse(jwk.get("x").asText())));
    Map<String, Object> c = jws.unverifiedClaims().toMap();
    assertThat(c).containsEntry("iss", "signet").containsEntry("aud", audience).containsEntry("sub", d.uid)
        .containsEntry("sid", d.sid).containsEntry("scheme", "mixin-bot");
  }

  @Test
  void forwardedHeadersNameTheRequestTraefikAndNginxStyle() throws Exception {
    String t = d.token("GET", "/orders?page=2", null);
    Reply traefik = d.send("GET", "/decisions", null,
        bearer(t, Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/orders?page=2")));
    assertThat(traefik.status()).as(traefik.body()).isEqualTo(200);
    Reply replay = d.send("GET", "/decisions", null,
        bearer(t, Map.of("X-Original-Method", "GET", "X-Original-URI", "/orders?page=2")));
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.json().at("/error/description").asText()).startsWith("replayed");
    Reply nginx = d.send("GET", "/decisions", null,
        bearer(d.token("DELETE", "/orders/7", null), Map.of("X-Original-Method", "DELETE", "X-Original-URI", "/orders/7")));
    assertThat(nginx.status()).as(nginx.body()).isEqualTo(200);
  }

  @Test
  void aChangedQueryAMissingTokenAndABadlyNamedRequestAreRefused() throws Exception {
    Reply changed = d.send("GET", "/decisions/orders?page=3", null, bearer(d.token("GET", "/orders?page=2", null), Map.of()));
    assertThat(changed.status()).isEqualTo(401);
    assertThat(changed.json().at("/error/description").asText()).startsWith("request_mismatch");
    assertThat(d.send("GET", "/decisions/orders", null, Map.of()).status()).isEqualTo(401);
    assertThat(d.send("GET", "/decisions", null, Map.of()).status()).isEqualTo(400);
    assertThat(d.send("GET", "/decisions", null, Map.of("X-Forwarded-Method", "get me", "X-Forwarded-Uri", "/x")).status())
        .isEqualTo(400);
    assertThat(d.send("GET", "/decisions", null, Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "http://evil/x")).status())
        .isEqualTo(400);
  }

  @Test
  void aBodyTheGatewayDidNotForwardIsNamedInTheRefusal() throws Exception {
    String t = d.token("POST", "/payments", "{\"amount\":\"1\"}");
    Reply r = d.send("GET", "/decisions", null, bearer(t, Map.of("X-Original-Method", "POST", "X-Original-URI", "/payments")));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().at("/error/description").asText()).startsWith("request_mismatch")
        .contains("the gateway must forward it");
  }

  @Test
  void routeScopesApplyToTheOriginalPath() throws Exception {
    Reply denied = d.send("GET", "/decisions/assets/btc", null,
        bearer(d.token("GET", "/assets/btc", null, TokenOptions.defaults().withScope("PROFILE:READ")), Map.of()));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().at("/error/description").asText()).startsWith("scope");
    Reply allowed = d.send("GET", "/decisions/assets/btc", null,
        bearer(d.token("GET", "/assets/btc", null, TokenOptions.defaults().withScope("ASSETS:READ")), Map.of()));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.raw().headers().firstValue("X-Signet-Scopes")).hasValue("ASSETS:READ");
    // Under a route, the identity token is for that route's upstream.
    assertIdentityToken(allowed.raw().headers().firstValue("X-Signet-Identity").orElseThrow(), "http://127.0.0.1:" + d.upstreamPort);
    // Outside every route, /me's rules: no scope required.
    assertThat(d.send("GET", "/decisions/assetsx", null,
        bearer(d.token("GET", "/assetsx", null, TokenOptions.defaults().withScope("PROFILE:READ")), Map.of())).status()).isEqualTo(200);
  }

  @Test
  void aPinRouteChecksTheBodysPinOnTheDecisionToo() throws Exception {
    long now = java.time.Instant.now().getEpochSecond();
    String good = "{\"pin\":\"" + PinCipher.encrypt(PinCipher.digits("123456"), now, 1, d.key, d.pinToken, new SecureRandom())
        + "\",\"amount\":\"1\"}";
    Reply ok = d.send("POST", "/decisions/transfers", good, bearer(d.token("POST", "/transfers", good), Map.of()));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    String wrong = "{\"pin\":\"" + PinCipher.encrypt(PinCipher.digits("000000"), now, 2, d.key, d.pinToken, new SecureRandom())
        + "\",\"amount\":\"1\"}";
    Reply refused = d.send("POST", "/decisions/transfers", wrong, bearer(d.token("POST", "/transfers", wrong), Map.of()));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/error/description").asText()).startsWith("pin_wrong");
  }

  @Test
  void forwardedHeadersFromAnUntrustedAddressAreRefused(@TempDir Path other) throws Exception {
    try (Deployment strict = new Deployment(other, List.of("decisions:", "  trusted_proxies: [\"192.0.2.0/24\"]"))) {
      Reply r = strict.send("GET", "/decisions", null,
          bearer(strict.token("GET", "/x", null), Map.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/x")));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().at("/error/description").asText()).contains("trusted_proxies");
      // The path-prefix form names the request by its own path and needs no trust.
      assertThat(strict.send("GET", "/decisions/x", null, bearer(strict.token("GET", "/x", null), Map.of())).status()).isEqualTo(200);
    }
  }
}
