package dev.signet.cli;

import static dev.signet.cli.Proc.signet;
import static dev.signet.cli.Proc.signetWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.X25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of issue 3, exercised on the built jar as a process. */
class CliIT {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final String APP = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
  static final String AID = "0f0e6d1c-2b3a-4958-8776-a5b4c3d2e1f0";
  static final String SEED_004 = "aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d00755756a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static JsonNode json(Proc.Result r) throws Exception {
    assertThat(r.exit()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }

  static void refused(Proc.Result r, int exit, String check) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    assertThat(r.err().strip()).as(r.toString()).startsWith("signet: ").contains(check).doesNotContain("\n").doesNotContain("\tat ");
  }

  @Test
  void helpAndUsageErrors() {
    assertThat(signet("--help").exit()).isZero();
    assertThat(signet("verify", "--help").out()).contains("no replay store");
    for (String scheme : new String[] {"mixin-bot", "mixin-oauth", "service"}) {
      assertThat(signet("verify", scheme, "--help").out()).contains("no replay store");
    }
    refused(signet(), 2, "a command is required");
    refused(signet("keygen", "dsa"), 2, "dsa");
    refused(signet("sign", "service", "--issuer", "x"), 2, "Missing required options");
    refused(signet("sign", "mixin-bot", "--sid", SID, "--key", "x"), 2, "--uid");
  }

  @Test
  void keygenEd25519PrintsAKeyPairThatSigns() throws Exception {
    JsonNode k = json(signet("keygen", "ed25519", "--json"));
    Ed25519PrivateKey priv = Ed25519PrivateKey.parse(k.get("private_key").asText());
    assertThat(priv.publicKey().toBase64Url()).isEqualTo(k.get("public_key").asText());
    assertThat(dev.signet.codec.Base64Url.decode(k.get("private_key").asText())).hasSize(64);
    Proc.Result text = signet("keygen", "ed25519");
    assertThat(text.out()).containsPattern("(?m)^private_key: \\S{86}$").containsPattern("(?m)^public_key: \\S{43}$");
  }

  @Test
  void keygenRsaPrintsOrWritesPems() throws Exception {
    Proc.Result printed = signet("keygen", "rsa");
    assertThat(printed.out()).contains("-----BEGIN RSA PRIVATE KEY-----").contains("-----BEGIN PUBLIC KEY-----");
    Path prefix = dir.resolve("svc");
    assertThat(signet("keygen", "rsa", "--bits", "3072", "--out", prefix.toString()).exit()).isZero();
    RsaPrivateKey k = RsaPrivateKey.parse(Files.readString(dir.resolve("svc.key")));
    assertThat(k.bits()).isEqualTo(3072);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("svc.key"))))
        .isEqualTo("rw-------");
    assertThat(dev.signet.keys.RsaPublicKey.parse(Files.readString(dir.resolve("svc.pub")))).isEqualTo(k.publicKey());
    refused(signet("keygen", "rsa", "--bits", "1024"), 1, "weak_key");
  }

  @Test
  void keygenGrapheneUsesThePrefix() throws Exception {
    JsonNode k = json(signet("keygen", "graphene", "--prefix", "TST", "--json"));
    assertThat(k.get("public_key").asText()).startsWith("TST");
    assertThat(dev.signet.keys.Secp256k1PrivateKey.parseWif(k.get("wif").asText()).publicKey().toGraphene("TST"))
        .isEqualTo(k.get("public_key").asText());
  }

  @Test
  void mixinBotSignVerifyAndEveryRefusal() throws Exception {
    JsonNode k = json(signet("keygen", "ed25519", "--json"));
    String priv = k.get("private_key").asText();
    String pub = k.get("public_key").asText();
    String token = signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", priv, "--method", "post",
        "--uri", "/transfers?x=1", "--body", "{\"a\":1}", "--scope", "ASSETS:READ", "--jti", "my-jti-1").line();
    JsonNode claims = json(signet("verify", "mixin-bot", "--public-key", pub, "--method", "POST", "--uri", "/transfers?x=1",
        "--body", "{\"a\":1}", "--scope", "ASSETS:READ", token));
    assertThat(claims.get("uid").asText()).isEqualTo(UID);
    assertThat(claims.get("jti").asText()).isEqualTo("my-jti-1");
    assertThat(claims.get("scp").asText()).isEqualTo("ASSETS:READ");
    refused(signet("verify", "mixin-bot", "--public-key", pub, "--method", "POST", "--uri", "/transfers?x=2", "--body", "{\"a\":1}", token),
        1, "request_mismatch");
    refused(signet("verify", "mixin-bot", "--public-key", pub, "--method", "POST", "--uri", "/transfers?x=1", "--body", "{\"a\":1}",
        "--scope", "SNAPSHOTS:READ", token), 1, "scope");
    String other = json(signet("keygen", "ed25519", "--json")).get("public_key").asText();
    refused(signet("verify", "mixin-bot", "--public-key", other, "--method", "POST", "--uri", "/transfers?x=1", "--body", "{\"a\":1}", token),
        1, "bad_signature");
    String shortLived = signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", priv, "--ttl", "1").line();
    Thread.sleep(2100);
    refused(signet("verify", "mixin-bot", "--public-key", pub, shortLived), 1, "expired");
    // Two parts: malformed whatever the key (cutting characters off the signature is malformed only
    // when the rest is not canonical base64url, which a random signature is 15 times in 16).
    refused(signet("verify", "mixin-bot", "--public-key", pub, token.substring(0, token.lastIndexOf('.'))), 1, "malformed");
  }

  @Test
  void badKeysAreOneLineErrorsThatNeverEchoTheKey() {
    String secret = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo";
    refused(signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", secret), 1, "bad_length");
    assertThat(signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", secret).err()).doesNotContain(secret);
    refused(signet("sign", "mixin-bot", "--uid", "alice", "--sid", SID, "--key", Ed25519PrivateKey.generate(new SecureRandom()).toBase64Url()),
        1, "UUID");
    refused(signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", "@" + dir.resolve("missing")), 1, "no such file");
  }

  @Test
  void rsaBotTokensAreRs512AndAlgorithmsMustFitTheKey() throws Exception {
    Path key = dir.resolve("bot");
    signet("keygen", "rsa", "--out", key.toString());
    String token = signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", "@" + key + ".key").line();
    assertThat(json(signet("decode", token)).at("/header/alg").asText()).isEqualTo("RS512");
    assertThat(json(signet("verify", "mixin-bot", "--public-key", "@" + key + ".pub", token)).get("sid").asText()).isEqualTo(SID);
    refused(signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", "@" + key + ".key", "--alg", "EdDSA"), 1, "does not fit");
  }

  @Test
  void keystoresOfBothGenerationsSign() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    Ed25519PrivateKey server = Ed25519PrivateKey.generate(new SecureRandom());
    Path newer = dir.resolve("newer.json");
    Files.writeString(newer, "{\"app_id\":\"" + UID + "\",\"session_id\":\"" + SID + "\",\"server_public_key\":\"" + server.publicKey().toHex()
        + "\",\"session_private_key\":\"" + session.toSeedHex() + "\"}");
    Path older = dir.resolve("older.json");
    Files.writeString(older, "{\"client_id\":\"" + UID + "\",\"session_id\":\"" + SID + "\",\"private_key\":\"" + session.toBase64Url()
        + "\",\"pin_token\":\"" + server.publicKey().toX25519().toBase64Url() + "\",\"pin\":\"123456\"}");
    for (Path ks : new Path[] {newer, older}) {
      String token = signet("sign", "mixin-bot", "--keystore", ks.toString(), "--uri", "/assets").line();
      assertThat(json(signet("verify", "mixin-bot", "--public-key", session.publicKey().toBase64Url(), "--uri", "/assets", token))
          .get("uid").asText()).isEqualTo(UID);
    }
    Path oauth = dir.resolve("oauth.json");
    Files.writeString(oauth, "{\"app_id\":\"" + APP + "\",\"authorization_id\":\"" + AID + "\",\"scope\":\"PROFILE:READ\",\"session_private_key\":\""
        + session.toSeedHex() + "\",\"server_public_key\":\"" + server.publicKey().toHex() + "\"}");
    String oauthToken = signet("sign", "mixin-oauth", "--keystore", oauth.toString()).line();
    JsonNode c = json(signet("verify", "mixin-oauth", "--public-key", session.publicKey().toHex(), "--scope", "PROFILE:READ", oauthToken));
    assertThat(c.get("iss").asText()).isEqualTo(APP);
    assertThat(c.get("aid").asText()).isEqualTo(AID);
    String flags = signet("sign", "mixin-oauth", "--app-id", APP, "--authorization-id", AID, "--key", session.toPkcs8Pem(),
        "--scope", "PROFILE:READ PHONE:READ", "--method", "POST", "--uri", "/x", "--body", "b").line();
    assertThat(json(signet("verify", "mixin-oauth", "--public-key", session.publicKey().toX509Pem(), "--method", "POST", "--uri", "/x",
        "--body", "b", flags)).get("scp").asText()).isEqualTo("PROFILE:READ PHONE:READ");
    refused(signet("sign", "mixin-oauth", "--keystore", newer.toString()), 1, "authorization_id");
  }

  @Test
  void serviceTokensHaveTheSeed002ShapeAndAudienceIsChecked() throws Exception {
    Path key = dir.resolve("svc");
    signet("keygen", "rsa", "--out", key.toString());
    String token = signet("sign", "service", "--issuer", "org-1", "--kid", "k1", "--subject", "user-9", "--audience", "api.example",
        "--key", "@" + key + ".key", "--ttl", "600").line();
    JsonNode decoded = json(signet("decode", token));
    assertThat(decoded.get("verified").asBoolean()).isFalse();
    assertThat(decoded.at("/header/alg").asText()).isEqualTo("RS256");
    JsonNode claims = decoded.get("claims");
    assertThat(claims.fieldNames()).toIterable().containsExactlyInAnyOrder("aud", "exp", "iat", "iss", "jti", "sub", "kid");
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
    assertThat(json(signet("verify", "service", "--public-key", "@" + key + ".pub", "--audience", "api.example", token))
        .get("sub").asText()).isEqualTo("user-9");
    refused(signet("verify", "service", "--public-key", "@" + key + ".pub", "--audience", "api.other", token), 1, "audience");
    refused(signet("sign", "service", "--issuer", "o", "--kid", "k", "--subject", "s", "--audience", "a", "--key", "@" + key + ".key",
        "--ttl", "7200"), 1, "1 hour");
  }

  @Test
  void theLauncherAtTheRepositoryRootRunsTheCli() {
    Proc.Result r = Proc.run(null, java.util.List.of("bash", "./signet", "verify", "graphene", "--prefix", "TST", SEED_004));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.line()).isEqualTo("TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R");
  }

  @Test
  void grapheneSignAndRecover() throws Exception {
    assertThat(signet("verify", "graphene", "--prefix", "TST", SEED_004).line())
        .isEqualTo("TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R");
    assertThat(signet("verify", "graphene", "--prefix", "TST", "--public-key", "TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R", SEED_004).exit())
        .isZero();
    JsonNode k = json(signet("keygen", "graphene", "--json"));
    String payload = signet("sign", "graphene", "--user", "bob", "--link", "stream1", "--auth-id", "alivedb_login", "--network", "hive",
        "--block-num", "76092780", "--block-id", "0489156ce51562088e21cf7aee70bbdf6832965d", "--wif", k.get("wif").asText()).line();
    assertThat(payload.split(":")).hasSize(7);
    assertThat(signet("verify", "graphene", payload).line()).isEqualTo(k.get("public_key").asText());
    refused(signet("verify", "graphene", "--public-key", k.get("public_key").asText(), SEED_004), 1, "bad_signature");
    refused(signet("verify", "graphene", "bob:link"), 1, "7 colon-separated parts");
    refused(signet("sign", "graphene", "--user", "bob", "--link", "l", "--auth-id", "a", "--network", "hive", "--block-num", "1",
        "--block-id", "00", "--wif", k.get("wif").asText()), 1, "block id");
  }

  @Test
  void pinEncryptAndDecryptRoundTrip() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    X25519PrivateKey server = X25519PrivateKey.generate(new SecureRandom());
    String ct = signet("pin", "encrypt", "--pin", "123456", "--pin-token", server.publicKey().toBase64Url(), "--key", session.toBase64Url(),
        "--iterator", "18446744073709551615", "--time", "1763000000").line();
    JsonNode pin = json(signet("pin", "decrypt", "--pin-key", dev.signet.codec.Hex.encode(server.toBytes()),
        "--public-key", session.publicKey().toBase64Url(), ct));
    assertThat(pin.get("pin").asText()).isEqualTo("123456");
    assertThat(pin.get("time").asLong()).isEqualTo(1763000000L);
    assertThat(pin.get("iterator").asText()).isEqualTo("18446744073709551615");
    refused(signet("pin", "decrypt", "--pin-key", dev.signet.codec.Hex.encode(server.toBytes()),
        "--public-key", Ed25519PrivateKey.generate(new SecureRandom()).publicKey().toBase64Url(), ct), 1, "pin_malformed");
    refused(signet("pin", "encrypt", "--pin", "12345", "--pin-token", server.publicKey().toBase64Url(), "--key", session.toBase64Url(),
        "--iterator", "1"), 1, "6 digits");
    String hex = signet("pin", "encrypt", "--hex", "--pin", "00ff10", "--pin-token", server.publicKey().toHex(), "--key", session.toBase64Url(),
        "--iterator", "2").line();
    assertThat(json(signet("pin", "decrypt", "--pin-key", dev.signet.codec.Hex.encode(server.toBytes()),
        "--public-key", session.publicKey().toHex(), hex)).get("pin").asText()).isEqualTo("00ff10");
  }

  @Test
  void valuesStartingWithADashAreValuesNotOptions() throws Exception {
    // "-h" and "-V" are the worst prefixes: picocli's own help and version options.
    Ed25519PrivateKey session;
    do {
      session = Ed25519PrivateKey.generate(new SecureRandom());
    } while (!session.toBase64Url().startsWith("-V"));
    X25519PrivateKey server = X25519PrivateKey.generate(new SecureRandom());
    assertThat(signet("pin", "encrypt", "--pin", "123456", "--pin-token", server.publicKey().toBase64Url(),
        "--key", session.toBase64Url(), "--iterator", "5").exit()).isZero();
    String ct;
    do {
      ct = dev.signet.pin.PinCipher.encrypt(dev.signet.pin.PinCipher.digits("123456"), 1L, 5L, session, server.publicKey(),
          new SecureRandom());
    } while (!ct.startsWith("-h"));
    Proc.Result r = signet("pin", "decrypt", "--pin-key", dev.signet.codec.Hex.encode(server.toBytes()),
        "--public-key", session.publicKey().toBase64Url(), ct);
    assertThat(json(r).get("iterator").asInt()).isEqualTo(5);
    refused(signet("pin", "decrypt", "--pin-keyy", "x", "--public-key", "y", ct), 2, "");
  }

  @Test
  void valuesComeFromFilesAndStdin() throws Exception {
    JsonNode k = json(signet("keygen", "ed25519", "--json"));
    Path priv = dir.resolve("priv.txt");
    Files.writeString(priv, k.get("private_key").asText() + "\n");
    Path body = dir.resolve("body.json");
    Files.write(body, "{\"amount\":\"1\"}\n".getBytes(StandardCharsets.UTF_8));
    String token = signet("sign", "mixin-bot", "--uid", UID, "--sid", SID, "--key", "@" + priv, "--method", "POST", "--body", "@" + body).line();
    // The body file's bytes are signed exactly, trailing newline included.
    refused(signet("verify", "mixin-bot", "--public-key", k.get("public_key").asText(), "--method", "POST", "--body", "{\"amount\":\"1\"}", token),
        1, "request_mismatch");
    assertThat(signetWithInput(token + "\n", "verify", "mixin-bot", "--public-key", k.get("public_key").asText(), "--method", "POST",
        "--body", "@" + body, "@-").exit()).isZero();
  }

  @Test
  void requestSignsExactlyWhatItSends() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    Path ks = dir.resolve("ks.json");
    Files.writeString(ks, new Keystore(UID, SID, session, null, null, null, null).toJson());
    try (VerifyingServer server = VerifyingServer.start(UID, SID, session.publicKey())) {
      Proc.Result ok = signet("request", "POST", server.url("/transfers?asset=abc&n=1"), "--data", "{\"amount\":\"2\"}", "--keystore", ks.toString());
      assertThat(ok.exit()).as(ok.toString()).isZero();
      JsonNode data = JSON.readTree(ok.out()).get("data");
      assertThat(data.get("user_id").asText()).isEqualTo(UID);
      assertThat(data.get("request_id").asText()).isEqualTo(data.get("jti").asText());
      assertThat(signet("request", "GET", server.url("/me"), "--keystore", ks.toString()).exit()).isZero();
      Proc.Result refusedByServer = signet("request", "GET", server.url("/forbidden"), "--keystore", ks.toString());
      refused(refusedByServer, 1, "error 403");
      assertThat(refusedByServer.out()).contains("\"error\"");
      assertThat(server.accepted()).isEqualTo(3);
    }
    refused(signet("request", "GET", "http://127.0.0.1:9/me", "--keystore", ks.toString()), 1, "request failed");
  }

  /**
   * {@code signet request ws://...}: the upgrade is verified (GET, the path and query, no body) by a
   * real WebSocket server, stdin's lines go out, replies come back; {@code --gzip} as Blaze frames.
   */
  @Test
  void requestOpensASignedWebSocket() throws Exception {
    Ed25519PrivateKey session = Ed25519PrivateKey.generate(new SecureRandom());
    Path ks = dir.resolve("ws.json");
    Files.writeString(ks, new Keystore(UID, SID, session, null, null, null, null).toJson());
    java.util.List<String> upgrades = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.signet.verify.KeyRef ref = new dev.signet.verify.KeyRef(dev.signet.verify.Scheme.MIXIN_BOT, UID, SID);
    dev.signet.verify.RegisteredKey registered = new dev.signet.verify.RegisteredKey(dev.signet.jwt.JwsKey.eddsa(session.publicKey()),
        UID, UID, null);
    java.time.Clock clock = java.time.Clock.systemUTC();
    dev.signet.scheme.mixin.MixinBotVerifier verifier = new dev.signet.scheme.mixin.MixinBotVerifier(
        r -> r.equals(ref) ? java.util.Optional.of(registered) : java.util.Optional.empty(),
        new dev.signet.replay.InMemoryReplayStore(clock, 1000), clock, dev.signet.verify.VerifierPolicy.defaults());
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHost("127.0.0.1")
              .setPort(0).setWebSocketSubProtocols(java.util.List.of("Mixin-Blaze-1")))
          .webSocketHandshakeHandler(h -> {
            String auth = String.valueOf(h.headers().get("Authorization"));
            try {
              verifier.verify(new dev.signet.verify.AuthRequest("GET", h.uri(), new byte[0], auth.replaceFirst("^Bearer ", "")));
              upgrades.add(h.uri() + " " + h.headers().get("Sec-WebSocket-Protocol"));
              h.accept();
            } catch (dev.signet.verify.VerificationException e) {
              upgrades.add("refused " + e.failure().code());
              h.reject(401);
            }
          })
          .webSocketHandler(ws -> {
            ws.textMessageHandler(t -> ws.writeTextMessage("echo " + t));
            ws.binaryMessageHandler(ws::writeBinaryMessage);  // gzip frames back as they came
          });
      server.listen().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      String base = "ws://127.0.0.1:" + server.actualPort();

      Proc.Result text = signetWithInput("hello\nworld\n", "request", base + "/?x=1", "--keystore", ks.toString(),
          "--protocol", "Mixin-Blaze-1");
      assertThat(text.exit()).as(text.toString()).isZero();
      assertThat(text.out().lines().toList()).containsExactly("echo hello", "echo world");
      Proc.Result gzip = signetWithInput("{\"action\":\"LIST_PENDING_MESSAGES\"}\n", "request", base + "/", "--keystore", ks.toString(),
          "--gzip");
      assertThat(gzip.exit()).as(gzip.toString()).isZero();
      assertThat(gzip.out().strip()).isEqualTo("{\"action\":\"LIST_PENDING_MESSAGES\"}");
      assertThat(upgrades).containsExactly("/?x=1 Mixin-Blaze-1", "/ null");

      Path stranger = dir.resolve("stranger.json");
      Files.writeString(stranger, new Keystore(UID, SID, Ed25519PrivateKey.generate(new SecureRandom()), null, null, null, null).toJson());
      refused(signetWithInput("", "request", base + "/", "--keystore", stranger.toString()), 1, "error 401");
      assertThat(upgrades).last().isEqualTo("refused bad_signature");
      refused(signet("request", "GET", base + "/", "--keystore", ks.toString(), "--gzip"), 1, "--protocol and --gzip are for ws(s) URLs");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
