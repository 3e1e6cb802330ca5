package dev.signet.cli;

import static dev.signet.cli.Proc.signetWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.LocalServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket routes against outside peers, for real: the {@code ws} npm package as the upstream and
 * as a raw client, the Mixin Node SDK's own Blaze client code (GET / signed with an empty body,
 * Mixin-Blaze-1, gzip JSON frames), and {@code signet request ws://} (signet-client's
 * SignetWebSocket), all through {@code signet serve}'s route {@code /}. Nothing is skipped.
 */
class WebSocketInteropIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Process upstream;
  static LocalServer server;
  static String uid;
  static String sid;
  static Ed25519PrivateKey key;
  static MixinBotSigner signer;

  @BeforeAll
  static void start() throws Exception {
    assertThat(InteropIT.INTEROP.resolve("node_modules/ws/package.json")).as("npm ci in interop/ (the build runs it)").exists();
    upstream = new ProcessBuilder("node", InteropIT.INTEROP.resolve("ws-upstream.mjs").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String port = new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.US_ASCII)).readLine().strip();
    server = new LocalServer(dir, "routes:\n  - {prefix: /, upstream: \"ws://127.0.0.1:" + port + "\", websocket: true}\n", Map.of());
    uid = server.newUser("ws-interop");
    key = Ed25519PrivateKey.generate(new SecureRandom());
    sid = server.newSession(uid, key.publicKey().toBase64Url());
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    upstream.destroy();
    upstream.waitFor(10, TimeUnit.SECONDS);
  }

  static JsonNode client(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("node", InteropIT.INTEROP.resolve("ws-client.mjs").toString()));
    cmd.addAll(List.of(args));
    Proc.Result r = Proc.run(null, cmd);
    assertThat(r.exit()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  String url(String target) {
    return "ws://127.0.0.1:" + server.port() + target;
  }

  String token(String target) {
    return signer.sign("GET", target, new byte[0], TokenOptions.defaults());
  }

  @Test
  void theWsPackageTalksThroughSignetToAWsUpstream() throws Exception {
    JsonNode out = client("raw", url("/feed?x=1"), token("/feed?x=1"), "Mixin-Blaze-1");
    assertThat(out.get("protocol").asText()).as(out.toString()).isEqualTo("Mixin-Blaze-1");
    assertThat(out.at("/upstream/url").asText()).isEqualTo("/feed?x=1");
    JsonNode headers = out.at("/upstream/headers");
    assertThat(headers.get("x-signet-user").asText()).isEqualTo(uid);
    assertThat(headers.get("x-signet-session").asText()).isEqualTo(sid);
    assertThat(headers.get("x-signet-identity").asText()).startsWith("eyJ");
    assertThat(headers.has("authorization")).isFalse();
    assertThat(out.get("binaryEchoed").asBoolean()).isTrue();
    assertThat(out.get("pong").asText()).isEqualTo("keep");
    assertThat(out.get("close").asInt()).isEqualTo(4000);
  }

  @Test
  void refusalsReachTheWsPackageAsHttpAnswers() throws Exception {
    JsonNode none = client("raw", url("/feed"), "-");
    assertThat(none.get("status").asInt()).as(none.toString()).isEqualTo(401);
    assertThat(none.get("wwwAuthenticate").asText()).startsWith("Bearer");
    assertThat(none.get("body").asText()).contains("\"status\":401");
    String once = token("/once");
    assertThat(client("raw", url("/once"), once).has("binaryEchoed")).isTrue();
    JsonNode replayed = client("raw", url("/once"), once);
    assertThat(replayed.get("status").asInt()).isEqualTo(401);
    assertThat(replayed.get("body").asText()).contains("replayed");
    JsonNode elsewhere = client("raw", url("/other"), token("/feed"));
    assertThat(elsewhere.get("status").asInt()).isEqualTo(401);
    assertThat(elsewhere.get("body").asText()).contains("request_mismatch");
  }

  @Test
  void theMixinSdksBlazeClientConnectsAsItWouldToBlaze() throws Exception {
    Path keystore = dir.resolve("keystore.json");
    Files.writeString(keystore, "{\"app_id\":\"" + uid + "\",\"session_id\":\"" + sid + "\",\"session_private_key\":\"" + key.toSeedHex()
        + "\",\"server_public_key\":\"" + Ed25519PrivateKey.generate(new SecureRandom()).publicKey().toHex() + "\"}");
    JsonNode out = client("mixin", keystore.toString(), url(""));
    assertThat(out.get("protocol").asText()).as(out.toString()).isEqualTo("Mixin-Blaze-1");
    assertThat(out.at("/message/user_id").asText()).isEqualTo(uid);
    assertThat(out.at("/message/data").asText()).isEqualTo("hello " + uid);
  }

  @Test
  void signetRequestTalksThroughSignetWithGzipFrames() throws Exception {
    Path ks = dir.resolve("cli.json");
    Files.writeString(ks, new Keystore(uid, sid, key, null, null, null, null).toJson());
    Proc.Result r = signetWithInput("{\"id\":\"1\",\"action\":\"LIST_PENDING_MESSAGES\"}\n", "request", url("/"), "--keystore", ks.toString(),
        "--protocol", "Mixin-Blaze-1", "--gzip");
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode reply = JSON.readTree(r.out().lines().findFirst().orElseThrow());
    assertThat(reply.get("action").asText()).isEqualTo("CREATE_MESSAGE");
    assertThat(reply.at("/data/user_id").asText()).isEqualTo(uid);
  }
}
