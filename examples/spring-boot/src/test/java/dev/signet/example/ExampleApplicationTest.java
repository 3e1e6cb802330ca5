package dev.signet.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example application on a random port, called over HTTP with tokens from signet-core and the Mixin Node SDK. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {
  static final String UID = "6a1b6c4e-3d2f-4e8a-9b7c-1d2e3f4a5b6c";
  static final String SID = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
  static final Ed25519PrivateKey SESSION = Ed25519PrivateKey.generate(new SecureRandom());
  /** A second ahead (within the skew): the in-memory replay store refuses tokens of the second the app started. */
  static final MixinBotSigner SIGNER = new MixinBotSigner(UID, SID, JwsSigner.eddsa(SESSION),
      Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)));
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DIR = tempDir();

  @LocalServerPort
  int port;
  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.context.ApplicationContext context;

  /** The same file $SIGNET_KEYS_FILE names when the jar is started by hand. */
  @DynamicPropertySource
  static void keysFile(DynamicPropertyRegistry r) throws IOException {
    Path keys = DIR.resolve("keys.yml");
    Files.writeString(keys, """
        keys:
          - scheme: mixin-bot
            user: %s
            session: %s
            public-key: %s
            algorithm: EdDSA
            scopes: [ASSETS:READ, PROFILE:READ]
        """.formatted(UID, SID, SESSION.publicKey().toBase64Url()));
    r.add("signet.keys-file", keys::toString);
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("signet-example");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> send(String method, String target, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void whoamiNamesTheCaller() throws Exception {
    HttpResponse<String> r = send("GET", "/whoami", null, SIGNER.sign("GET", "/whoami", new byte[0]));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode data = JSON.readTree(r.body()).get("data");
    assertThat(data.get("user_id").asText()).isEqualTo(UID);
    assertThat(data.get("session_id").asText()).isEqualTo(SID);
    assertThat(data.get("scopes").toString()).isEqualTo("[\"ASSETS:READ\",\"PROFILE:READ\"]");
    assertThat(r.headers().allValues("Set-Cookie")).as("no session").isEmpty();
  }

  @Test
  void echoReturnsTheVerifiedBodyByteForByte() throws Exception {
    String body = "{\"amount\":\"0.01\",\"memo\":\"\u00e9\u20ac\"}";
    HttpResponse<String> r = send("POST", "/echo?trace=1", body,
        SIGNER.sign("POST", "/echo?trace=1", body.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    HttpResponse<String> tampered = send("POST", "/echo?trace=1", body.replace("0.01", "100"),
        SIGNER.sign("POST", "/echo?trace=1", body.getBytes(StandardCharsets.UTF_8)));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(tampered.body()).contains("request_mismatch");
  }

  @Test
  void tokensFromTheOfficialMixinNodeSdkAreAcceptedOnce() throws Exception {
    Path keystore = DIR.resolve("keystore.json");
    Files.writeString(keystore, "{\"app_id\":\"" + UID + "\",\"session_id\":\"" + SID + "\",\"session_private_key\":\""
        + SESSION.toSeedHex() + "\",\"server_public_key\":\"" + SESSION.publicKey().toHex() + "\"}");
    String body = "{\"asset\":\"c6d0c728-2624-429b-8e0d-d9d19b6592fa\"}";
    // The SDK signs with this machine's clock: wait out the second the application started in.
    long started = context.getStartupDate() / 1000;
    while (System.currentTimeMillis() / 1000 <= started) {
      Thread.sleep(50);
    }
    String token = mixinSdk("token", keystore.toString(), "POST", "/echo", body);
    HttpResponse<String> r = send("POST", "/echo", body, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    HttpResponse<String> replay = send("POST", "/echo", body, token);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).startsWith("{\"error\":{\"status\":401,\"code\":401,\"description\":\"replayed");

    String get = mixinSdk("token", keystore.toString(), "GET", "/whoami", "");
    assertThat(send("GET", "/whoami", null, get).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownKeysAndMissingTokensAreRefused() throws Exception {
    MixinBotSigner stranger = new MixinBotSigner(UID, "11111111-2222-4333-8444-555555555555",
        JwsSigner.eddsa(Ed25519PrivateKey.generate(new SecureRandom())), Clock.systemUTC());
    assertThat(send("GET", "/whoami", null, stranger.sign("GET", "/whoami", new byte[0])).body()).contains("unknown_key");
    assertThat(send("GET", "/whoami", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/healthz", null, null).body()).isEqualTo("{\"data\":{\"status\":\"ok\"}}");
  }

  /** Runs interop/mixin-sign.mjs (the official SDK, installed by the build from interop's lock file). */
  static String mixinSdk(String... args) throws Exception {
    Path interop = Path.of(System.getProperty("signet.interop", "../../interop"));
    List<String> cmd = new java.util.ArrayList<>(List.of("node", interop.resolve("mixin-sign.mjs").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
