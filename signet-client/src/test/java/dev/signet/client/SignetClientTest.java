package dev.signet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.Secp256k1PrivateKey;
import dev.signet.scheme.graphene.PostingAuthority;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.KeyRef;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against real HTTP servers on loopback that verify with signet-core. */
class SignetClientTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final SecureRandom RANDOM = new SecureRandom();

  /** The response of {@code /me}, decoded into a type. */
  record Me(String scheme, @com.fasterxml.jackson.annotation.JsonProperty("user_id") String userId, List<String> scopes) {}

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock(Instant.now());
  Backend backend;
  TestApiServer server;
  final Ed25519PrivateKey session = Ed25519PrivateKey.generate(RANDOM);

  @BeforeEach
  void start() throws Exception {
    backend = new Backend(clock);
    server = new TestApiServer(backend, false);
    backend.registerSession(new KeyRef(Scheme.MIXIN_BOT, UID, SID),
        new RegisteredKey(JwsKey.eddsa(session.publicKey()), UID, UID, null), session.publicKey());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Path keystore() throws Exception {
    Path ks = dir.resolve("keystore.json");
    Files.writeString(ks, new Keystore(UID, SID, session, backend.pinKey.publicKey(), null, null, null).toJson());
    return ks;
  }

  SignetClient.Builder client(Credentials c, URI... servers) {
    return SignetClient.builder(c).servers(List.of(servers)).clock(clock).backoff(Duration.ofMillis(10));
  }

  @Test
  void botKeystoreCallsMeAndPostsExactBytes() throws Exception {
    SignetClient client = client(Credentials.fromKeystore(keystore()), server.uri()).build();
    Me me = client.get("/me", Me.class);
    assertThat(me.userId()).isEqualTo(UID);
    assertThat(me.scheme()).isEqualTo("mixin-bot");
    assertThat(me.scopes()).containsExactly("FULL");
    Map<?, ?> echoed = client.post("/echo?asset=a%20b&n=1", Map.of("amount", "1.5", "memo", "héllo"), Map.class);
    assertThat(echoed.get("amount")).isEqualTo("1.5");
    assertThat(echoed.get("memo")).isEqualTo("héllo");
  }

  @Test
  void botSessionsCanSignWithHttpMessageSignatures() throws Exception {
    SignetClient client = client(Credentials.fromKeystore(keystore()), server.uri()).httpSignatures(true).build();
    Me me = client.get("/me?x=1", Me.class);
    assertThat(me.scheme()).isEqualTo("http-signature");
    assertThat(me.userId()).isEqualTo(UID);
    Map<?, ?> echoed = client.post("/echo?asset=a%20b", Map.of("amount", "1.5"), Map.class);
    assertThat(echoed.get("amount")).isEqualTo("1.5");
    assertThat(server.tokens).containsOnly("");
    assertThatThrownBy(() -> client(new Credentials.Service("org", "k", "s", "aud", Fixtures.RSA), server.uri())
        .httpSignatures(true).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void legacyRsaBotOAuthAndServiceCredentialsSucceed() throws Exception {
    RsaPrivateKey rsa = RsaPrivateKey.generate(2048, RANDOM);
    String rsaSid = "5f4c2d9e-1b7a-4e52-9c3d-2a6b8e0f1d47";
    backend.registerSession(new KeyRef(Scheme.MIXIN_BOT, UID, rsaSid), new RegisteredKey(JwsKey.rs512(rsa.publicKey()), UID, UID, null), null);
    assertThat(client(new Credentials.Bot(UID, rsaSid, rsa, null), server.uri()).build().get("/me", Map.class).get("user_id")).isEqualTo(UID);

    String app = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
    String aid = "0f0e6d1c-2b3a-4958-8776-a5b4c3d2e1f0";
    Ed25519PrivateKey oauthKey = Ed25519PrivateKey.generate(RANDOM);
    backend.registerSession(new KeyRef(Scheme.MIXIN_OAUTH, app, aid),
        new RegisteredKey(JwsKey.eddsa(oauthKey.publicKey()), app, "user-7", Set.of("PROFILE:READ")), null);
    Map<?, ?> oauthMe = client(new Credentials.OAuth(app, aid, oauthKey, "PROFILE:READ", null), server.uri()).build().get("/me", Map.class);
    assertThat(oauthMe.get("user_id")).isEqualTo("user-7");
    assertThat(oauthMe.get("scheme")).isEqualTo("mixin-oauth");

    backend.registerSession(new KeyRef(Scheme.SERVICE, "org-1", "k1"), new RegisteredKey(JwsKey.rs256(rsa.publicKey()), "org-1", null, null), null);
    Map<?, ?> serviceMe = client(new Credentials.Service("org-1", "k1", "user-9", Backend.AUDIENCE, rsa), server.uri()).build().get("/me", Map.class);
    assertThat(serviceMe.get("user_id")).isEqualTo("user-9");
    assertThat(serviceMe.get("scheme")).isEqualTo("service");
  }

  @Test
  void grapheneLogsInOnceAndRenewsBeforeExpiry() throws Exception {
    Secp256k1PrivateKey posting = Secp256k1PrivateKey.generate(RANDOM);
    backend.accounts.put("bob.test", new PostingAuthority(1, Map.of(posting.publicKey().toGraphene("STM"), 1L)));
    try (RpcNode rpc = new RpcNode()) {
      URI deadRpc = URI.create("http://127.0.0.1:" + freePort());
      Credentials.Graphene g = new Credentials.Graphene("bob.test", posting, "stream1", "hive", null, List.of(deadRpc, rpc.uri()));
      SignetClient client = client(g, server.uri()).build();
      Map<?, ?> me = client.get("/me", Map.class);
      assertThat(me.get("scheme")).isEqualTo("graphene");
      assertThat(me.get("user_id")).isEqualTo("bob.test");
      client.get("/me", Map.class);
      assertThat(backend.accessTokens).hasSize(1);
      clock.advance(backend.accessTokenTtl.minusSeconds(30));
      assertThat(client.get("/me", Map.class).get("user_id")).isEqualTo("bob.test");
      assertThat(backend.accessTokens).hasSize(2);
    }
  }

  @Test
  void failsOverFromADeadServer() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + freePort());
    SignetClient client = client(Credentials.fromKeystore(keystore()), dead, server.uri()).build();
    assertThat(client.get("/me", Map.class).get("user_id")).isEqualTo(UID);
    assertThat(server.requestIds).hasSize(1);
  }

  @Test
  void retriesCarryFreshTokensAndRequestIds() throws Exception {
    try (TestApiServer failing = new TestApiServer(backend, true)) {
      SignetClient client = client(Credentials.fromKeystore(keystore()), failing.uri(), server.uri()).build();
      Map<?, ?> me = client.post("/me", Map.of("x", 1), Map.class);
      assertThat(me.get("user_id")).isEqualTo(UID);
      // The failing node verified (and so consumed) the first token: the retry needed a new one.
      assertThat(failing.tokens).hasSize(1);
      assertThat(server.tokens).hasSize(1).doesNotContainAnyElementsOf(failing.tokens);
      assertThat(server.requestIds).doesNotContainAnyElementsOf(failing.requestIds);
      assertThat(me.get("request_id")).isEqualTo(server.requestIds.get(0));
    }
  }

  @Test
  void fiveHundredsEverywhereSurfaceTheLastEnvelope() throws Exception {
    try (TestApiServer a = new TestApiServer(backend, true); TestApiServer b = new TestApiServer(backend, true)) {
      SignetClient client = client(Credentials.fromKeystore(keystore()), a.uri(), b.uri()).maxAttempts(4).build();
      assertThatThrownBy(() -> client.get("/me")).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.description()).isEqualTo("node failing");
      });
      assertThat(a.tokens.size() + b.tokens.size()).isEqualTo(4);
      assertThat(new HashSet<>(a.tokens)).doesNotContainAnyElementsOf(b.tokens);
    }
  }

  @Test
  void noServerReachableIsATypedError() throws Exception {
    SignetClient client = client(Credentials.fromKeystore(keystore()), URI.create("http://127.0.0.1:" + freePort())).maxAttempts(2).build();
    assertThatThrownBy(() -> client.get("/me")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(ApiException.NO_RESPONSE);
      assertThat(e.description()).contains("no API server reachable");
    });
  }

  @Test
  void errorEnvelopesBadBodiesAndHugeBodiesAreApiExceptions() throws Exception {
    SignetClient client = client(Credentials.fromKeystore(keystore()), server.uri()).maxResponseBytes(1 << 20).build();
    assertThatThrownBy(() -> client.get("/nowhere")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.code()).isEqualTo(40401);
      assertThat(e.description()).isEqualTo("not_found");
      assertThat(e.requestId()).isEqualTo(server.requestIds.get(0));
    });
    assertThatThrownBy(() -> client.get("/text")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.description()).contains("not a JSON object"));
    assertThatThrownBy(() -> client.get("/huge")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.description()).contains("larger than"));
    String otherSid = "11111111-2222-4333-8444-555555555555";
    SignetClient stranger = client(new Credentials.Bot(UID, otherSid, session, null), server.uri()).build();
    assertThatThrownBy(() -> stranger.get("/me")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.description()).isEqualTo("unknown_key");
    });
  }

  @Test
  void pinIteratorKeepsGrowingAcrossInstancesSharingAStateFile() throws Exception {
    Path state = dir.resolve("pin-iterator");
    // A clock that never moves: only the state file can make the iterator grow.
    Clock stuck = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    Credentials creds = Credentials.fromKeystore(keystore());
    SignetClient first = client(creds, server.uri()).pinIterator(PinIterator.stateFile(state, stuck)).build();
    SignetClient second = client(creds, server.uri()).pinIterator(PinIterator.stateFile(state, stuck)).build();
    List<Long> seen = new ArrayList<>();
    for (SignetClient c : List.of(first, second, first, second)) {
      Map<?, ?> r = c.post("/pin", Map.of("pin", c.encryptPin("123456")), Map.class);
      assertThat(r.get("pin")).isEqualTo("123456");
      seen.add(Long.parseUnsignedLong((String) r.get("iterator")));
    }
    for (int i = 1; i < seen.size(); i++) {
      assertThat(Long.compareUnsigned(seen.get(i), seen.get(i - 1))).isPositive();
    }
    SignetClient afterRestart = client(creds, server.uri()).pinIterator(PinIterator.stateFile(state, stuck)).build();
    Map<?, ?> r = afterRestart.post("/pin", Map.of("pin", afterRestart.encryptPin("123456")), Map.class);
    assertThat(Long.compareUnsigned(Long.parseUnsignedLong((String) r.get("iterator")), seen.get(3))).isPositive();
  }

  @Test
  void asyncCallsFromManyThreadsEachGetTheirOwnToken() throws Exception {
    SignetClient client = client(Credentials.fromKeystore(keystore()), server.uri()).build();
    List<CompletableFuture<Map>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(client.sendAsync("GET", "/me?i=" + i, null, Map.class));
    }
    for (CompletableFuture<Map> f : calls) {
      assertThat(f.get().get("user_id")).isEqualTo(UID);
    }
    assertThat(new HashSet<>(server.tokens)).hasSize(40);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
