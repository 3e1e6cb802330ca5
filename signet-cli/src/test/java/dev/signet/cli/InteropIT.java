package dev.signet.cli;

import static dev.signet.cli.Proc.signet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.keys.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signet against outside implementations, for real: panva/jose and PyJWT verify what
 * {@code signet sign} makes; {@code signet verify} and {@code signet pin decrypt} accept what the
 * official Mixin Node SDK makes. A missing peer fails these tests; nothing is skipped.
 */
class InteropIT {
  static final Path INTEROP = Proc.REPO.resolve("interop");
  /** Debian's python3-jwt installs for the system interpreter, not for any other python3 on PATH. */
  static final String PYTHON = "/usr/bin/python3";
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeAll
  static void peersArePresent() {
    assertThat(INTEROP.resolve("node_modules/jose/package.json")).as("npm ci in interop/ (the build runs it)").exists();
    assertThat(INTEROP.resolve("node_modules/@mixin.dev/mixin-node-sdk/package.json")).exists();
    Proc.Result py = Proc.run(null, List.of(PYTHON, "-c", "import jwt; print(jwt.__version__)"));
    assertThat(py.exit()).as("Debian's python3-jwt (apt-get install python3-jwt): " + py).isZero();
  }

  static Proc.Result node(String... args) {
    List<String> cmd = new ArrayList<>(List.of("node"));
    for (String a : args) {
      cmd.add(a);
    }
    return Proc.run(null, cmd);
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void joseVerifiesSignetEdDsaTokens() throws Exception {
    JsonNode k = JSON.readTree(signet("keygen", "ed25519", "--json").out());
    String token = signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", k.get("private_key").asText(),
        "--method", "POST", "--uri", "/transfers", "--body", "{\"amount\":\"1\"}").line();
    Path pub = write("ed.pub", k.get("public_key").asText());
    Proc.Result jose = node(INTEROP.resolve("jose-verify.mjs").toString(), "EdDSA", pub.toString(), token);
    assertThat(jose.exit()).as(jose.toString()).isZero();
    assertThat(JSON.readTree(jose.out()).at("/payload/sid").asText()).isEqualTo(SID);
    Path otherPub = write("other.pub", JSON.readTree(signet("keygen", "ed25519", "--json").out()).get("public_key").asText());
    assertThat(node(INTEROP.resolve("jose-verify.mjs").toString(), "EdDSA", otherPub.toString(), token).exit()).isEqualTo(1);
  }

  @Test
  void joseAndPyJwtVerifySignetServiceTokens() throws Exception {
    Path key = dir.resolve("svc");
    assertThat(signet("keygen", "rsa", "--out", key.toString()).exit()).isZero();
    String token = signet("sign", "service", "--issuer", "org-1", "--kid", "k1", "--subject", "user-9",
        "--audience", "api.happypathology.com", "--key", "@" + key + ".key").line();
    String pub = key + ".pub";
    Proc.Result jose = node(INTEROP.resolve("jose-verify.mjs").toString(), "RS256", pub, token, "api.happypathology.com");
    assertThat(jose.exit()).as(jose.toString()).isZero();
    assertThat(JSON.readTree(jose.out()).at("/payload/kid").asText()).isEqualTo("k1");
    Proc.Result py = Proc.run(null, List.of(PYTHON, INTEROP.resolve("pyjwt_verify.py").toString(), pub, token, "api.happypathology.com"));
    assertThat(py.exit()).as(py.toString()).isZero();
    assertThat(JSON.readTree(py.out()).get("sub").asText()).isEqualTo("user-9");
    // And they refuse what they should: the peers are really checking.
    assertThat(Proc.run(null, List.of(PYTHON, INTEROP.resolve("pyjwt_verify.py").toString(), pub, token, "other")).exit()).isEqualTo(1);
    String tampered = token.substring(0, token.indexOf('.') + 2) + (token.charAt(token.indexOf('.') + 2) == 'A' ? 'B' : 'A')
        + token.substring(token.indexOf('.') + 3);
    assertThat(node(INTEROP.resolve("jose-verify.mjs").toString(), "RS256", pub, tampered, "api.happypathology.com").exit()).isEqualTo(1);
  }

  @Test
  void signetVerifiesMixinSdkTokensAndDecryptsItsPins() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    Ed25519PrivateKey server = Ed25519PrivateKey.generate(new SecureRandom());
    Path keystore = write("keystore.json", "{\"app_id\":\"" + UID + "\",\"session_id\":\"" + SID + "\",\"session_private_key\":\""
        + session.toSeedHex() + "\",\"server_public_key\":\"" + server.publicKey().toHex() + "\"}");
    Proc.Result sdk = node(INTEROP.resolve("mixin-sign.mjs").toString(), "token", keystore.toString(), "POST", "/transfers", "{\"amount\":\"1\"}");
    assertThat(sdk.exit()).as(sdk.toString()).isZero();
    Proc.Result verified = signet("verify", "mixin-bot", "--public-key", session.publicKey().toBase64Url(), "--method", "POST",
        "--uri", "/transfers", "--body", "{\"amount\":\"1\"}", sdk.line());
    assertThat(verified.exit()).as(verified.toString()).isZero();
    assertThat(JSON.readTree(verified.out()).get("uid").asText()).isEqualTo(UID);
    assertThat(signet("verify", "mixin-bot", "--public-key", session.publicKey().toBase64Url(), "--method", "POST",
        "--uri", "/transfers", "--body", "{\"amount\":\"2\"}", sdk.line()).exit()).isEqualTo(1);

    String tipPin = "a1".repeat(32);
    Proc.Result pin = node(INTEROP.resolve("mixin-sign.mjs").toString(), "pin", keystore.toString(), tipPin);
    assertThat(pin.exit()).as(pin.toString()).isZero();
    Proc.Result decrypted = signet("pin", "decrypt", "--pin-key", server.toBase64Url(), "--public-key", session.publicKey().toHex(), pin.line());
    assertThat(decrypted.exit()).as(decrypted.toString()).isZero();
    JsonNode block = JSON.readTree(decrypted.out());
    assertThat(block.get("pin").asText()).isEqualTo(tipPin);
    assertThat(Math.abs(block.get("time").asLong() - System.currentTimeMillis() / 1000)).isLessThan(60);
    // The newer SDKs use a nanosecond clock as the iterator.
    assertThat(block.get("iterator").decimalValue().longValue()).isGreaterThan(System.currentTimeMillis() * 900_000L);
  }

  @Test
  void signetVerifiesMixinSdkOAuthTokens() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    String app = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
    String aid = "0f0e6d1c-2b3a-4958-8776-a5b4c3d2e1f0";
    Path keystore = write("oauth.json", "{\"app_id\":\"" + app + "\",\"authorization_id\":\"" + aid + "\",\"scope\":\"PROFILE:READ\","
        + "\"session_private_key\":\"" + session.toSeedHex() + "\",\"server_public_key\":\""
        + Ed25519PrivateKey.generate(new SecureRandom()).publicKey().toHex() + "\"}");
    Proc.Result sdk = node(INTEROP.resolve("mixin-sign.mjs").toString(), "token", keystore.toString(), "GET", "/me", "");
    assertThat(sdk.exit()).as(sdk.toString()).isZero();
    Proc.Result verified = signet("verify", "mixin-oauth", "--public-key", session.publicKey().toBase64Url(), "--scope", "PROFILE:READ", sdk.line());
    assertThat(verified.exit()).as(verified.toString()).isZero();
    assertThat(JSON.readTree(verified.out()).get("aid").asText()).isEqualTo(aid);
  }

  /** An upstream behind signet serve verifies X-Signet-Identity with jose's createRemoteJWKSet + jwtVerify. */
  @Test
  void joseVerifiesIdentityTokensAgainstTheServersJwks() throws Exception {
    try (ServeProcess serve = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("data").toString(),
        "SIGNET_IDENTITY_ISSUER", "https://signet.test", "SIGNET_IDENTITY_AUDIENCE", "orders-service"), dir.resolve("serve.log"))) {
      String admin = "@" + dir.resolve("data/admin.token");
      String uid = JSON.readTree(signet("admin", "--server", serve.base(), "--admin-token", admin, "user", "create").out())
          .get("user_id").asText();
      Proc.Result session = signet("admin", "session", "create", "--server", serve.base(), "--admin-token", admin, "--user", uid);
      assertThat(session.exit()).as(session.toString()).isZero();
      Path keystore = write("identity-keystore.json", JSON.readTree(session.out()).get("keystore").toString());
      Thread.sleep(1100);
      String token = signet("sign", "mixin-bot", "--keystore", keystore.toString(), "--method", "GET", "--uri", "/orders?page=1").line();
      HttpResponse<String> decision = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.base() + "/decisions/orders?page=1"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(decision.statusCode()).as(decision.body()).isEqualTo(200);
      String identity = decision.headers().firstValue("X-Signet-Identity").orElseThrow();

      String jwks = serve.base() + "/.well-known/jwks.json";
      Proc.Result verified = node(INTEROP.resolve("jose-jwks-verify.mjs").toString(), jwks, identity, "https://signet.test", "orders-service");
      assertThat(verified.exit()).as(verified.toString()).isZero();
      JsonNode out = JSON.readTree(verified.out());
      assertThat(out.at("/payload/sub").asText()).isEqualTo(uid);
      assertThat(out.at("/payload/scheme").asText()).isEqualTo("mixin-bot");
      assertThat(out.at("/header/kid").asText()).isNotBlank();
      assertThat(node(INTEROP.resolve("jose-jwks-verify.mjs").toString(), jwks, identity, "https://signet.test", "another-service").exit())
          .as("another audience").isEqualTo(1);
      String tampered = identity.substring(0, identity.length() - 4) + (identity.endsWith("AAAA") ? "BBBB" : "AAAA");
      assertThat(node(INTEROP.resolve("jose-jwks-verify.mjs").toString(), jwks, tampered, "https://signet.test", "orders-service").exit())
          .isEqualTo(1);
    }
  }
}
