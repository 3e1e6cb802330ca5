package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.server.testing.LocalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code http-message-signatures} npm package signs requests (RFC 9421) with a session's key;
 * {@code signet serve} accepts them on {@code /me} and the decision API, once, and only unchanged.
 */
class HttpSignatureInteropIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void thePackageSignsRequestsSignetAccepts() throws Exception {
    assertThat(InteropIT.INTEROP.resolve("node_modules/http-message-signatures/package.json"))
        .as("npm ci in interop/ (the build runs it)").exists();
    try (LocalServer server = new LocalServer(dir, Map.of())) {
      String uid = server.newUser("node-signer");
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
      String sid = server.newSession(uid, key.publicKey().toBase64Url());
      Path pem = dir.resolve("session.pem");
      Files.writeString(pem, key.toPkcs8Pem());
      Proc.Result r = Proc.run(null, List.of("node", InteropIT.INTEROP.resolve("http-signature-client.mjs").toString(),
          server.base(), sid, pem.toString()));
      assertThat(r.exit()).as(r.toString()).isZero();
      JsonNode out = JSON.readTree(r.out());
      assertThat(out.get("signatureInput").asText()).contains("\"@method\" \"@target-uri\"").contains("keyid=\"" + sid + "\"");
      assertThat(out.at("/me/status").asInt()).as(out.toString()).isEqualTo(200);
      assertThat(out.at("/me/scheme").asText()).isEqualTo("http-signature");
      assertThat(out.at("/me/user").asText()).isEqualTo(uid);
      assertThat(out.at("/post/status").asInt()).as(out.toString()).isEqualTo(200);
      assertThat(out.at("/post/scheme").asText()).isEqualTo("http-signature");
      assertThat(out.at("/replay/description").asText()).startsWith("replayed");
      assertThat(out.at("/tampered/description").asText()).startsWith("request_mismatch").contains("Content-Digest");
    }
  }
}
