package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.server.testing.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits on several nodes: one limit in Redis shared by every node, counted in the replay
 * claim's own script call; Redis down refuses with 503 (as the claim does), never 429 or 200.
 * Real PostgreSQL and Redis on loopback, Redis reached through a proxy that can cut it.
 */
class RateLimitsNodesTest {
  static final String PG = System.getProperty("signet.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final SecureRandom RANDOM = new SecureRandom();
  static final String YAML = String.join("\n",
      "routes:",
      "  - {prefix: /api/orders, upstream: \"http://127.0.0.1:9\", rate_limit: {key: user, rate: 1, per_seconds: 60}}") + "\n";

  @TempDir
  Path dir;

  String schema;
  TcpProxy redis;
  LocalServer a;
  LocalServer b;

  LocalServer node(String name) throws InterruptedException {
    Map<String, String> env = new HashMap<>(Map.of("SIGNET_DATA_DIR", dir.resolve(name).toString(), "SIGNET_STORE_TYPE", "postgres",
        "SIGNET_STORE_URL", PG, "SIGNET_STORE_USER", "postgres", "SIGNET_STORE_SCHEMA", schema, "SIGNET_REPLAY_TYPE", "redis",
        "SIGNET_REPLAY_URL", "redis://127.0.0.1:" + redis.port(), "SIGNET_REPLAY_PREFIX", schema + ":"));
    // The short form, as a deployment sets it in the environment: 3 per minute per user, bursts of 3.
    env.put("SIGNET_RATE_LIMITS", "per-user:user:3/60");
    return new LocalServer(dir, YAML, env);
  }

  @BeforeEach
  void start() throws Exception {
    schema = "signet_limits_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    redis = new TcpProxy(6379);
    a = node("a");
    b = node("b");
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  MixinBotSigner signer(LocalServer node, String name) throws Exception {
    String uid = node.newUser(name);
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    return new MixinBotSigner(uid, node.newSession(uid, key.publicKey().toBase64Url()), JwsSigner.eddsa(key), Clock.systemUTC());
  }

  static Reply me(LocalServer node, MixinBotSigner signer) {
    try {
      return node.bearer("GET", "/me", null, signer.sign("GET", "/me", new byte[0]));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many scripts Redis has run (EVAL and EVALSHA), from its own command statistics. */
  static long evals() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "INFO", "commandstats").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = Pattern.compile("cmdstat_eval(sha)?:calls=(\\d+)").matcher(out);
    long n = 0;
    while (m.find()) {
      n += Long.parseLong(m.group(2));
    }
    return n;
  }

  @Test
  void bothNodesSpendOneQuotaInOneScriptCallPerRequest() throws Exception {
    MixinBotSigner alice = signer(a, "alice");
    long before = evals();
    List<CompletableFuture<Reply>> racing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      LocalServer node = i % 2 == 0 ? a : b;
      racing.add(CompletableFuture.supplyAsync(() -> me(node, alice)));
    }
    List<Reply> replies = racing.stream().map(CompletableFuture::join).toList();
    long evals = evals() - before;
    assertThat(replies).filteredOn(r -> r.status() == 200).as("3 per minute, across both nodes").hasSize(3);
    assertThat(replies).filteredOn(r -> r.status() == 429).hasSize(17)
        .allSatisfy(r -> {
          assertThat(r.description()).startsWith("rate_limited: per-user allows 3 requests per 60 s per user; retry in ");
          assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
          assertThat(r.raw().headers().allValues("RateLimit")).singleElement().asString().startsWith("\"per-user\";r=0;t=");
        });
    assertThat(evals).as("one script call per request: the claim and the limit together").isEqualTo(20);

    // A route's own rate_limit, through the decision API of either node; the deployment-wide one counts too.
    MixinBotSigner bob = signer(b, "bob");
    Reply first = a.bearer("GET", "/decisions/api/orders/1", null, bob.sign("GET", "/api/orders/1", new byte[0]));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.raw().headers().allValues("RateLimit-Policy")).containsExactly("\"per-user\";q=3;w=60",
        "\"route.api.orders\";q=1;w=60");
    Reply second = b.bearer("GET", "/decisions/api/orders/2", null, bob.sign("GET", "/api/orders/2", new byte[0]));
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.description()).startsWith("rate_limited: route.api.orders allows 1 requests per 60 s per user");
    assertThat(me(a, bob).status()).as("bob's third request overall: per-user still has one").isEqualTo(200);
    assertThat(a.call("GET", "/metrics", null, Map.of()).body()).containsPattern("signet_rate_limited_total\\{policy=\"per-user\"} [1-9]");
  }

  @Test
  void redisDownRefusesWith503NotALimitDecision() throws Exception {
    MixinBotSigner carol = signer(a, "carol");
    assertThat(me(a, carol).status()).isEqualTo(200);
    redis.down();
    for (int i = 0; i < 5; i++) {
      Reply r = me(a, carol);
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.description()).startsWith("unavailable");
      assertThat(r.raw().headers().allValues("RateLimit")).isEmpty();
    }
    redis.up();
    long deadline = System.currentTimeMillis() + 10_000;
    int status = 0;
    while (System.currentTimeMillis() < deadline && status != 200) {
      status = me(b, carol).status();
      Thread.sleep(200);
    }
    assertThat(status).as("recovered, and the 503s spent none of carol's quota (3 per minute, 1 used)").isEqualTo(200);
    assertThat(me(a, carol).status()).isEqualTo(200);
    assertThat(me(a, carol).status()).isEqualTo(429);
  }
}
