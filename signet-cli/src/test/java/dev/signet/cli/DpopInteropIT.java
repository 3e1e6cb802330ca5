package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.RpcNodeDouble;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * panva's {@code dpop} (and {@code jose}) as the client of DPoP-bound access tokens: it logs in
 * with a proof, uses the token, and tries what RFC 9449 forbids; with server nonces on and off.
 */
class DpopInteropIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCRIPT = InteropIT.INTEROP.resolve("dpop-client.mjs");

  @TempDir
  Path dir;

  @BeforeAll
  static void peerIsPresent() {
    assertThat(InteropIT.INTEROP.resolve("node_modules/dpop/package.json")).as("npm ci in interop/ (the build runs it)").exists();
  }

  @ParameterizedTest(name = "{0}, nonce {1}")
  @CsvSource({"Ed25519, false", "ES256, true", "PS256, false", "RS256, true"})
  void theDpopPackageIsAClientOfBoundTokens(String alg, boolean nonce) throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      Map<String, String> env = new HashMap<>(Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
          "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url(),
          "SIGNET_DPOP_NONCE", String.valueOf(nonce)));
      try (LocalServer server = new LocalServer(dir, env)) {
        Proc.Result r = Proc.run(null, List.of("node", SCRIPT.toString(), server.base(), RpcNodeDouble.SEED_004_LOGIN, alg));
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode out = JSON.readTree(r.out());
        assertThat(out.at("/login/status").asInt()).as(out.toString()).isEqualTo(200);
        assertThat(out.at("/login/tokenType").asText()).isEqualTo("DPoP");
        assertThat(out.get("boundToOurKey").asBoolean()).as("cnf.jkt is dpop's thumbprint of the key").isTrue();
        assertThat(out.at("/me/status").asInt()).isEqualTo(200);
        assertThat(out.at("/me/user").asText()).isEqualTo("aliveprotocol");
        assertThat(out.at("/replayedProof/description").asText()).startsWith("replayed");
        assertThat(out.at("/wrongHtu/description").asText()).startsWith("invalid_dpop_proof").contains("htu");
        assertThat(out.at("/wrongHtm/description").asText()).startsWith("invalid_dpop_proof").contains("htm");
        assertThat(out.at("/otherKey/description").asText()).startsWith("invalid_dpop_proof").contains("bound to");
        assertThat(out.at("/asBearer/status").asInt()).isEqualTo(401);
        assertThat(out.at("/asBearer/wwwAuthenticate").asText()).startsWith("DPoP ");
        // With nonces on, the client is asked once at the token endpoint (and then reuses the nonce).
        assertThat(out.path("nonceAsked").asInt()).isEqualTo(nonce ? 1 : 0);
      }
    }
  }
}
