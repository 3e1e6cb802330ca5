package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.RpcNodeDouble;
import dev.signet.server.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code signet serve} processes sharing the real Redis and PostgreSQL on loopback, as a
 * deployment behind a load balancer runs them. Each test has its own schema and key prefix.
 */
class ClusterIT {
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String SEED_004 = "aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d00755756a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9";
  static final int CACHE_SECONDS = 1;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  String schema;
  final List<ServeProcess> nodes = new ArrayList<>();

  @BeforeEach
  void names() {
    schema = "signet_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @AfterEach
  void stop() throws Exception {
    for (ServeProcess n : nodes) {
      n.close();
    }
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A node of a deployment on PostgreSQL (schema {@code schema}) and Redis (prefix {@code schema:}). */
  static Map<String, String> nodeEnvironment(Path data, String schema, int pgPort, int redisPort) {
    Map<String, String> env = new HashMap<>();
    env.put("SIGNET_DATA_DIR", data.toString());
    env.put("SIGNET_STORE_TYPE", "postgres");
    env.put("SIGNET_STORE_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/test");
    env.put("SIGNET_STORE_USER", "postgres");
    env.put("SIGNET_STORE_SCHEMA", schema);
    env.put("SIGNET_REPLAY_TYPE", "redis");
    env.put("SIGNET_REPLAY_URL", "redis://127.0.0.1:" + redisPort);
    env.put("SIGNET_REPLAY_PREFIX", schema + ":");
    env.put("SIGNET_KEYS_CACHE_SECONDS", String.valueOf(CACHE_SECONDS));
    return env;
  }

  /** Starts {@code count} nodes at once (so they race to create the deployment's shared secrets). */
  void startNodes(int count, int pgPort, int redisPort, Map<String, String> extra) {
    List<CompletableFuture<ServeProcess>> starting = IntStream.range(0, count).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
      Map<String, String> env = nodeEnvironment(dir.resolve("node" + i), schema, pgPort, redisPort);
      env.putAll(extra);
      try {
        return ServeProcess.start(env, dir.resolve("node" + i + ".log"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).toList();
    // Every node that started is stopped after the test, even when another failed to start.
    RuntimeException failed = null;
    for (CompletableFuture<ServeProcess> f : starting) {
      try {
        nodes.add(f.join());
      } catch (RuntimeException e) {
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** The status of one request, its envelope, and when (System.nanoTime) it was sent and answered. */
  record Reply(int status, JsonNode json, long sentAt, long answeredAt) {
    String outcome() {
      return json.has("data") ? "ok" : json.at("/error/description").asText().split(":")[0];
    }
  }

  static Reply send(ServeProcess node, String method, String target, String body, String bearer) {
    long sent = System.nanoTime();
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base() + target))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), JSON.readTree(r.body()), sent, System.nanoTime());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same request to every node at once; the outcomes in node order. */
  List<String> race(String method, String target, String body, String bearer) {
    return nodes.stream().map(n -> CompletableFuture.supplyAsync(() -> send(n, method, target, body, bearer).outcome()))
        .toList().stream().map(CompletableFuture::join).toList();
  }

  record Session(String userId, String sessionId, Ed25519PrivateKey key, X25519PublicKey pinToken, MixinBotSigner signer) {
    String token(String method, String uri, String body) {
      return signer.sign(method, uri, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Session newSession(ServeProcess via, String admin) {
    String uid = send(via, "POST", "/admin/users", "{}", admin).json().at("/data/user_id").asText();
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    JsonNode s = send(via, "POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}", admin)
        .json().get("data");
    String sid = s.get("session_id").asText();
    // Tokens issued in the second the deployment's replay epoch began (its first node's start) are stale.
    try {
      Thread.sleep(1100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Session(uid, sid, key, X25519PublicKey.parse(s.get("pin_token").asText()),
        new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC()));
  }

  @Test
  void threeNodesActAsOneDeployment() throws Exception {
    try (RpcNodeDouble rpc = new RpcNodeDouble()) {
      // 1 s blocks: the recorded login's block (5 behind the recorded head) counts as made 6 s ago.
      startNodes(3, 5432, 6379, Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
          "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", rpc.url(),
          "SIGNET_GRAPHENE_NETWORKS_HIVE_BLOCK_INTERVAL_SECONDS", "1"));
      long started = System.nanoTime();   // the replay epoch began before this: at the first node's start

      // One admin token for the deployment: generated by the node that won the race, printed by it
      // alone, accepted by all.
      List<String> printed = nodes.stream().map(ServeProcess::adminToken).filter(Objects::nonNull).toList();
      assertThat(printed).hasSize(1);
      String admin = printed.get(0);
      for (ServeProcess n : nodes) {
        assertThat(send(n, "POST", "/admin/users", "{}", admin).status()).isEqualTo(200);
        assertThat(send(n, "POST", "/admin/users", "{}", "wrong-admin-token-0123").status()).isEqualTo(401);
      }

      // The same token sent to every node at once is accepted exactly once.
      Session s = newSession(nodes.get(0), admin);
      for (int round = 0; round < 30; round++) {
        String token = s.token("GET", "/me", null);
        assertThat(race("GET", "/me", null, token)).as("round " + round).containsExactlyInAnyOrder("ok", "replayed", "replayed");
      }

      // A Graphene login payload likewise; the access token it buys works on every node. A login
      // whose block is older than the deployment's replay epoch (its first start) is stale: wait
      // until the recorded block counts as newer.
      Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(8) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
      List<Reply> logins = nodes.stream().map(n -> CompletableFuture.supplyAsync(() -> send(n, "POST", "/getToken", SEED_004, null)))
          .toList().stream().map(CompletableFuture::join).toList();
      assertThat(logins.stream().map(Reply::outcome)).containsExactlyInAnyOrder("ok", "replayed", "replayed");
      String access = logins.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().at("/data/access_token").asText();
      for (ServeProcess n : nodes) {
        JsonNode me = send(n, "GET", "/currentUser", null, access).json();
        assertThat(me.at("/data/logged_in").asBoolean()).as(me.toString()).isTrue();
        assertThat(me.at("/data/user").asText()).isEqualTo("aliveprotocol");
      }

      // Concurrent PIN verifications with the same iterator succeed exactly once.
      assertThat(send(nodes.get(1), "PUT", "/admin/users/" + s.userId() + "/pin", "{\"pin\":\"123456\"}", admin).status()).isEqualTo(200);
      long iterator = 1;
      for (int round = 0; round < 5; round++, iterator++) {
        String body = pinBody(s, "123456", iterator);
        List<String> outcomes = nodes.stream().map(n -> CompletableFuture.supplyAsync(() ->
            send(n, "POST", "/pin/verify", body, s.token("POST", "/pin/verify", body)).outcome())).toList()
            .stream().map(CompletableFuture::join).toList();
        assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder("ok", "pin_iterator", "pin_iterator");
      }
      // Wrong PINs count across nodes (the counter is in Redis): the fifth, on any node, locks everywhere.
      for (int i = 0; i < 5; i++, iterator++) {
        String body = pinBody(s, "654321", iterator);
        assertThat(send(nodes.get(i % 3), "POST", "/pin/verify", body, s.token("POST", "/pin/verify", body)).outcome()).isEqualTo("pin_wrong");
      }
      for (ServeProcess n : nodes) {
        String body = pinBody(s, "123456", iterator++);
        assertThat(send(n, "POST", "/pin/verify", body, s.token("POST", "/pin/verify", body)).outcome()).isEqualTo("pin_locked");
      }

      // A session revoked on one node is refused by the others within keys.cache_seconds.
      for (ServeProcess n : nodes) {
        assertThat(send(n, "GET", "/me", null, s.token("GET", "/me", null)).outcome()).isEqualTo("ok");
      }
      assertThat(send(nodes.get(2), "DELETE", "/admin/sessions/" + s.sessionId(), null, admin).status()).isEqualTo(200);
      long revoked = System.nanoTime();
      for (ServeProcess n : nodes.subList(0, 2)) {
        String last;
        do {
          last = send(n, "GET", "/me", null, s.token("GET", "/me", null)).outcome();
        } while (last.equals("ok") && System.nanoTime() - revoked < (CACHE_SECONDS + 1) * 1_000_000_000L);
        assertThat(last).as("refused within the bound").isEqualTo("unknown_key");
      }
    }
  }

  static String pinBody(Session s, String pin, long iterator) {
    String block = PinCipher.encrypt(PinCipher.digits(pin), System.currentTimeMillis() / 1000, iterator, s.key(), s.pinToken(), RANDOM);
    return "{\"pin\":\"" + block + "\"}";
  }

  @Test
  void outagesMidLoadRefuseEverythingAndHealByThemselves() throws Exception {
    try (TcpProxy redis = new TcpProxy(6379); TcpProxy postgres = new TcpProxy(5432)) {
      startNodes(2, postgres.port(), redis.port(), Map.of("SIGNET_ADMIN_TOKEN", "cluster-admin-token-0123456789"));
      Session s = newSession(nodes.get(0), "cluster-admin-token-0123456789");
      ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      List<CompletableFuture<Void>> load = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() -> {
        for (int i = t; running.get(); i++) {
          replies.add(send(nodes.get(i % nodes.size()), "GET", "/me", null, s.token("GET", "/me", null)));
        }
      })).toList();
      try {
        Thread.sleep(1500);
        redis.down();
        // Down once the proxy has closed every connection: a claim that reached Redis before that
        // instant may be accepted, and its answer can arrive a few ms later (seen in CI).
        long redisCut = System.nanoTime();
        Thread.sleep(3000);
        long redisBack = System.nanoTime();
        redis.up();
        long healed = awaitAcceptedAfter(replies, redisBack);
        postgres.down();
        long pgCut = System.nanoTime();
        // Keys already cached are trusted for keys.cache_seconds; after that nothing is accepted.
        // (A request then waits up to the pool's 2 s connection timeout before its 503.)
        Thread.sleep(CACHE_SECONDS * 1000L + 5000);
        long pgBack = System.nanoTime();
        postgres.up();
        long healedAgain = awaitAcceptedAfter(replies, pgBack);
        running.set(false);
        load.forEach(CompletableFuture::join);

        List<Reply> all = List.copyOf(replies);
        assertThat(all).as("only acceptances and 503s, never a 500").allSatisfy(r -> assertThat(r.status()).isIn(200, 503));
        assertThat(all).filteredOn(r -> r.status() == 503)
            .allSatisfy(r -> assertThat(r.json().at("/error/description").asText()).startsWith("unavailable"));
        assertThat(all).as("all accepted before the cut").filteredOn(r -> r.answeredAt() < redisCut).isNotEmpty()
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(all).as("nothing sent and answered while Redis was down is accepted")
            .filteredOn(r -> r.sentAt() > redisCut && r.answeredAt() < redisBack).isNotEmpty()
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        long pgBound = pgCut + (CACHE_SECONDS + 1) * 1_000_000_000L;
        assertThat(all).as("nothing sent (past the key cache bound) and answered while PostgreSQL was down is accepted")
            .filteredOn(r -> r.sentAt() > pgBound && r.answeredAt() < pgBack).isNotEmpty()
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        assertThat(healed - redisBack).as("recovered from Redis within 15 s").isLessThan(15_000_000_000L);
        assertThat(healedAgain - pgBack).as("recovered from PostgreSQL within 15 s").isLessThan(15_000_000_000L);
        assertThat(nodes).allSatisfy(n -> assertThat(n.alive()).isTrue());
      } finally {
        running.set(false);
      }
    }
  }

  /** Waits (at most 15 s) until a request sent after {@code since} was accepted; returns when it was sent. */
  static long awaitAcceptedAfter(ConcurrentLinkedQueue<Reply> replies, long since) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      var ok = replies.stream().filter(r -> r.sentAt() > since && r.status() == 200).mapToLong(Reply::sentAt).min();
      if (ok.isPresent()) {
        return ok.getAsLong();
      }
      Thread.sleep(100);
    }
    return Long.MAX_VALUE;
  }

  @Test
  void logsNameNoSecret() throws Exception {
    startNodes(1, 5432, 6379, Map.of());
    String admin = nodes.get(0).adminToken();
    assertThat(admin).isNotBlank();
    send(nodes.get(0), "POST", "/admin/users", "{}", admin);
    send(nodes.get(0), "GET", "/me", null, "garbage.token.value");
    assertThat(Files.readString(nodes.get(0).log())).doesNotContain(admin);
  }
}
