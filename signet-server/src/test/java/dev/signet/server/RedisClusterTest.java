package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.replay.RedisKeys;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.testing.RedisCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code signet serve} nodes on a real Redis Cluster (three primaries, a replica each, started
 * once for the class): every fresh token accepted once across both, limits and PIN counters shared;
 * a reshard under load accepts no token twice; a primary killed refuses (stale) only the tokens
 * whose marks it held, while every other shard keeps accepting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
  static final String PG = System.getProperty("signet.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final SecureRandom RANDOM = new SecureRandom();
  static RedisCluster cluster;
  static ExecutorService load;

  @TempDir
  static Path clusterDir;

  @TempDir
  Path dir;

  String schema;
  LocalServer a;
  LocalServer b;

  @BeforeAll
  static void cluster() throws Exception {
    assumeTrue(RedisCluster.available(), "skipped: redis-server and redis-cli (Debian's redis-server package, which .ci/run installs) are not here");
    cluster = new RedisCluster(clusterDir);
    load = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
      load.shutdownNow();
    }
  }

  LocalServer node(String name, String... more) throws InterruptedException {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_DATA_DIR", dir.resolve(name).toString(), "SIGNET_STORE_TYPE", "postgres",
        "SIGNET_STORE_URL", PG, "SIGNET_STORE_USER", "postgres", "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis-cluster",
        "SIGNET_REPLAY_NODES", String.join(",", cluster.nodes()), "SIGNET_REPLAY_PREFIX", schema + ":"));
    env.put("SIGNET_ABUSE_MAX_REFUSALS", "0"); // the replays these tests send on purpose are not an attack
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return new LocalServer(dir, env);
  }

  /** Nodes a and b on the cluster, with {@code env} (name, value, ...) besides. */
  void twoNodes(String... env) throws InterruptedException {
    a = node("a", env);
    b = node("b", env);
  }

  @BeforeEach
  void start() throws Exception {
    schema = "signet_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @AfterEach
  void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A signer, and the session its tokens' marks are keyed by. */
  record Signer(MixinBotSigner signer, String sid) {
    /** A fresh token for GET /me, and the hash slot its mark lives in. */
    Token token() {
      String jti = UUID.randomUUID().toString();
      String jwt = signer.sign("GET", "/me", new byte[0], TokenOptions.defaults().withJti(jti));
      return new Token(jwt, RedisKeys.slot("mixin-bot:" + sid + ":" + jti));
    }
  }

  record Token(String jwt, int slot) {}

  Signer signer(LocalServer node, String name) throws Exception {
    String uid = node.newUser(name);
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = node.newSession(uid, key.publicKey().toBase64Url());
    return new Signer(new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()), sid);
  }

  static String outcome(LocalServer node, Token t) {
    try {
      Reply r = node.bearer("GET", "/me", null, t.jwt());
      return r.status() == 200 ? "ok" : r.status() + " " + r.description().split(":")[0];
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(1)
  void twoNodesAcceptEachFreshTokenOnceOnEveryShardAndSharePinCounters() throws Exception {
    twoNodes();
    Signer alice = signer(a, "alice");
    List<Token> tokens = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      tokens.add(alice.token());
    }
    List<CompletableFuture<List<String>>> raced = tokens.stream().map(t -> CompletableFuture.supplyAsync(() -> {
      CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> outcome(a, t));
      CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> outcome(b, t));
      return List.of(onA.join(), onB.join());
    }, load)).toList();
    for (int i = 0; i < tokens.size(); i++) {
      assertThat(raced.get(i).join()).as("token " + i).containsExactlyInAnyOrder("ok", "401 replayed");
    }
    // The marks are where their hash tags put them: spread over all three primaries.
    RedisKeys keys = RedisKeys.cluster(schema + ":");
    Set<Integer> primaries = new HashSet<>();
    for (Token t : tokens.subList(0, 30)) {
      String owner = "mixin-bot:" + alice.sid() + ":" + jti(t);
      int port = cluster.primaryOf(t.slot()).port();
      primaries.add(port);
      assertThat(cluster.cli(port, "EXISTS", keys.claim(owner).mark()).trim()).isEqualTo("1");
    }
    for (Token t : tokens) {
      primaries.add(cluster.primaryOf(t.slot()).port());
    }
    assertThat(primaries).hasSize(3);

    // Every primary forgets its scripts (a restart, SCRIPT FLUSH): the nodes load them again and resend, nothing refused.
    for (int port : primaries) {
      assertThat(cluster.cli(port, "SCRIPT", "FLUSH").trim()).isEqualTo("OK");
    }
    for (int i = 0; i < 40; i++) {
      Token t = alice.token();
      CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> outcome(a, t), load);
      CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> outcome(b, t), load);
      assertThat(List.of(onA.join(), onB.join())).as("after SCRIPT FLUSH, token " + i).containsExactlyInAnyOrder("ok", "401 replayed");
    }

    // A PIN block raced on both nodes: the failure counters and locks live on the cluster too.
    String uid = a.newUser("dave");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    var s = a.adminOk("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}");
    a.adminOk("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}");
    MixinBotSigner dave = new MixinBotSigner(uid, s.at("/session_id").asText(), JwsSigner.eddsa(key), Clock.systemUTC());
    X25519PublicKey pinToken = X25519PublicKey.parse(s.at("/pin_token").asText());
    String wrong = "{\"pin\":\"" + PinCipher.encrypt(PinCipher.digits("000000"), System.currentTimeMillis() / 1000, 1, key, pinToken, RANDOM) + "\"}";
    Reply failed = b.bearer("POST", "/pin/verify", wrong, dave.sign("POST", "/pin/verify", wrong.getBytes(StandardCharsets.UTF_8)));
    assertThat(failed.description()).startsWith("pin_wrong");
    String fails = cluster.cli(cluster.primaryOf(RedisKeys.slot(uid)).port(), "GET", RedisKeys.cluster(schema + ":").pinFailures(uid)).trim();
    assertThat(fails).as("the failure counted on the primary of the user's slot").isEqualTo("1");
    for (int round = 2; round <= 6; round++) {
      String block = PinCipher.encrypt(PinCipher.digits("123456"), System.currentTimeMillis() / 1000, round, key, pinToken, RANDOM);
      String body = "{\"pin\":\"" + block + "\"}";
      List<CompletableFuture<Reply>> pins = List.of(a, b, a, b).stream().map(node -> CompletableFuture.supplyAsync(() -> {
        try {
          return node.bearer("POST", "/pin/verify", body, dave.sign("POST", "/pin/verify", body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, load)).toList();
      assertThat(pins.stream().map(CompletableFuture::join).toList()).as("round " + round).filteredOn(r -> r.status() == 200).hasSize(1);
    }
    assertThat(cluster.cli(cluster.primaryOf(RedisKeys.slot(uid)).port(), "EXISTS", RedisKeys.cluster(schema + ":").pinFailures(uid)).trim())
        .as("a right PIN resets the count").isEqualTo("0");
  }

  @Test
  @Order(2)
  void limitsAreSharedOnTheCluster() throws Exception {
    // Two policies: on a cluster each limiter is its own call to its own slot, after the claim.
    twoNodes("SIGNET_RATE_LIMITS", "per-user:user:3/60,per-address:address:1000/60");
    Signer carol = signer(a, "carol");
    List<CompletableFuture<Reply>> racing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      LocalServer node = i % 2 == 0 ? a : b;
      Token t = carol.token();
      racing.add(CompletableFuture.supplyAsync(() -> {
        try {
          return node.bearer("GET", "/me", null, t.jwt());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, load));
    }
    List<Reply> replies = racing.stream().map(CompletableFuture::join).toList();
    assertThat(replies).filteredOn(r -> r.status() == 200).as("3 per minute, across both nodes").hasSize(3);
    assertThat(replies).filteredOn(r -> r.status() == 429).hasSize(17)
        .allSatisfy(r -> assertThat(r.description()).startsWith("rate_limited: per-user allows 3 requests per 60 s per user"));
  }

  @Test
  @Order(3)
  void aReshardUnderLoadAcceptsNoTokenTwice() throws Exception {
    twoNodes();
    Signer erin = signer(a, "erin");
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    List<long[]> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> twice = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      LocalServer first = w % 2 == 0 ? a : b;
      LocalServer second = w % 2 == 0 ? b : a;
      workers.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          Token t = erin.token();
          String o = outcome(first, t);
          if (o.startsWith("5")) {
            serverErrors.add(new long[] {System.currentTimeMillis()});
          }
          if (o.equals("ok")) {
            accepted.put(t.jwt(), System.currentTimeMillis());
            // The same token at once on the other node: a replay, wherever its slot is moving.
            if (outcome(second, t).equals("ok")) {
              twice.add(t.jwt());
            }
          }
        }
      }, load));
    }
    Thread.sleep(1000);
    List<RedisCluster.Node> primaries = cluster.view().stream().filter(RedisCluster.Node::primary).toList();
    long reshardStart = System.currentTimeMillis();
    cluster.reshard(primaries.get(0), primaries.get(1), 300);
    long reshardEnd = System.currentTimeMillis();
    Thread.sleep(3000);
    running.set(false);
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();

    assertThat(twice).as("tokens accepted twice").isEmpty();
    long settled = reshardEnd + 1000;
    assertThat(serverErrors.stream().filter(e -> e[0] > settled).count()).as("5xx after the reshard settled").isZero();
    // Every token accepted before, during or after the move is refused when sent again.
    List<String> again = accepted.keySet().stream().map(jwt -> outcome(b, new Token(jwt, 0))).toList();
    assertThat(again).isNotEmpty().allSatisfy(o -> assertThat(o).isIn("401 replayed", "401 stale"));
    assertThat(accepted.values().stream().filter(at -> at > reshardStart && at < reshardEnd).count())
        .as("tokens accepted while slots moved").isPositive();
  }

  @Test
  @Order(4)
  void aPrimaryKilledRefusesOnlyTheTokensItsSlotsHeld() throws Exception {
    twoNodes();
    Signer frank = signer(a, "frank");
    RedisCluster.Node victim = cluster.view().stream().filter(RedisCluster.Node::primary).findFirst().orElseThrow();
    List<Token> before = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      Token t = frank.token();
      assertThat(outcome(i % 2 == 0 ? a : b, t)).isEqualTo("ok");
      before.add(t);
    }
    assertThat(before).anyMatch(t -> victim.owns(t.slot())).anyMatch(t -> !victim.owns(t.slot()));
    Thread.sleep(200); // what the primary acknowledged reaches its replica (asynchronous replication)

    cluster.kill(victim.port());
    List<String> othersRefused = java.util.Collections.synchronizedList(new ArrayList<>());
    int othersAccepted = 0;
    long deadline = System.currentTimeMillis() + 30_000;
    boolean promoted = false;
    while (!promoted && System.currentTimeMillis() < deadline) {
      for (int i = 0; i < 10; i++) {
        Token t = frank.token();
        String o = outcome(i % 2 == 0 ? a : b, t);
        if (!victim.owns(t.slot())) {
          if (o.equals("ok")) {
            othersAccepted++;
          } else {
            othersRefused.add(o);
          }
        }
      }
      promoted = cluster.view().stream().anyMatch(n -> n.primary() && !n.failed() && n.port() != victim.port() && n.owns(victim.slots().get(0)[0]));
    }
    assertThat(promoted).as("the replica took over within 30 s").isTrue();
    assertThat(othersRefused).as("tokens of the other shards, while the primary was down").isEmpty();
    assertThat(othersAccepted).isPositive();

    // The nodes follow the new slot map within a second or two (it is read again each second).
    Token probe = before.stream().filter(t -> victim.owns(t.slot())).findFirst().orElseThrow();
    long settle = System.currentTimeMillis() + 5000;
    while ((outcome(a, probe).startsWith("503") || outcome(b, probe).startsWith("503")) && System.currentTimeMillis() < settle) {
      Thread.sleep(100);
    }
    // Sent again: the dead primary's tokens are stale (their marks may be lost); the others are replays.
    for (Token t : before) {
      assertThat(outcome(b, t)).as("slot " + t.slot()).isEqualTo(victim.owns(t.slot()) ? "401 stale" : "401 replayed");
    }
    // Fresh tokens in the promoted replica's slots are accepted, each in a slot of its own: the first
    // claims there began the new epoch of every slot the replica took over, not only of their own.
    Thread.sleep(1100); // past the second the epoch began in (iat is in seconds)
    List<String> fresh = new ArrayList<>();
    while (fresh.size() < 20) {
      Token t = frank.token();
      if (victim.owns(t.slot())) {
        fresh.add(outcome(fresh.size() % 2 == 0 ? a : b, t));
      }
    }
    assertThat(fresh).containsOnly("ok");
    // The promoted replica held no scripts (SCRIPT LOAD is not replicated): the first batch to it loaded them.
    int promotedPort = cluster.primaryOf(victim.slots().get(0)[0]).port();
    assertThat(cluster.cli(promotedPort, "INFO", "commandstats")).containsAnyOf("cmdstat_script|load:", "cmdstat_eval:")
        .contains("cmdstat_evalsha:");
    cluster.restart(victim.port());
    cluster.awaitOk();
  }

  private static String jti(Token t) {
    String payload = t.jwt().split("\\.")[1];
    String json = new String(java.util.Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
    int at = json.indexOf("\"jti\":\"") + 7;
    return json.substring(at, json.indexOf('"', at));
  }
}
