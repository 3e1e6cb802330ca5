package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.codec.Base64Url;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on PostgreSQL and a Redis primary with one replica behind three Sentinels (Debian's
 * redis-sentinel), all real processes on loopback ports. Under load the replica's link is cut, so the
 * marks of the tokens accepted from then on exist on the primary only; then the primary
 * is killed and Sentinel promotes the replica. Pass: only 503 (and 401 stale, for tokens signed in the
 * second the new epoch began) while the primary is gone, 200 again by itself, and every token accepted
 * before the kill refused when sent again after it, including those whose marks the failover lost.
 */
class RedisFailoverIT {
  static final String SENTINEL = "/usr/bin/redis-sentinel";
  static final String ADMIN = "redis-failover-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;
  final String schema = "signet_failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final List<Process> redis = new ArrayList<>();
  final List<ServeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ServeProcess n : nodes) {
      n.close();
    }
    for (Process p : redis) {
      p.destroyForcibly().waitFor();
    }
    try (Connection c = DriverManager.getConnection(ClusterIT.PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A token as it was sent: when, and how and when it was answered. */
  record Sent(String token, long at, int status, String body, long answered) {}

  @Test
  void aFailoverFailsClosedRecoversAndAcceptsNoTokenTwice() throws Exception {
    assumeTrue(new File(SENTINEL).canExecute(),
        "redis-sentinel is not installed: skipped (apt-get install redis-sentinel; .ci/run installs it)");
    int primaryPort = RollingRestartIT.freePort();
    int replicaPort = RollingRestartIT.freePort();
    Process primary = redisServer(primaryPort);
    redisServer(replicaPort, "--replicaof", "127.0.0.1", String.valueOf(primaryPort));
    awaitOutput(replicaPort, "master_link_status:up", "INFO", "replication");
    List<String> sentinels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = RollingRestartIT.freePort();
      sentinel(i, port, primaryPort);
      sentinels.add("127.0.0.1:" + port);
    }
    for (String s : sentinels) {
      int port = Integer.parseInt(s.split(":")[1]);
      awaitOutput(port, "num-other-sentinels\n2", "SENTINEL", "master", "signet");
      awaitOutput(port, "num-slaves\n1", "SENTINEL", "master", "signet");
    }

    for (int i = 0; i < 2; i++) {
      Map<String, String> env = ClusterIT.nodeEnvironment(dir.resolve("node" + i), schema, 5432, primaryPort);
      env.put("SIGNET_REPLAY_URL", "");
      env.put("SIGNET_REPLAY_SENTINELS", String.join(",", sentinels));
      env.put("SIGNET_REPLAY_MASTER_NAME", "signet");
      env.put("SIGNET_ADMIN_TOKEN", ADMIN);
      nodes.add(ServeProcess.start(env, dir.resolve("node" + i + ".log")));
    }
    ClusterIT.Session session = ClusterIT.newSession(nodes.get(0), ADMIN);

    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    AtomicLong lastNon200 = new AtomicLong();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      ServeProcess node = nodes.get(c % 2);
      Thread t = new Thread(() -> {
        while (running.get()) {
          String token = session.token("GET", "/me", null);
          long at = System.nanoTime();
          int status;
          String body;
          try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + "/me"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            body = r.body();
          } catch (Exception e) {
            status = -1;
            body = e.toString();
          }
          if (status != 200) {
            lastNon200.set(System.nanoTime());
            sleep(20);   // a client backing off while the service is unavailable
          }
          sent.add(new Sent(token, at, status, body, System.nanoTime()));
        }
      }, "client-" + c);
      t.start();
      clients.add(t);
    }

    Thread.sleep(2000);
    // Cut the replica off: the primary no longer lets it sync (PSYNC/SYNC denied to its user), then
    // drops its link. What the primary acknowledges from now on, it alone has, as when replication
    // lags behind at the moment a primary dies.
    redisCli(primaryPort, "ACL", "SETUSER", "default", "-psync", "-sync");
    redisCli(primaryPort, "CLIENT", "KILL", "TYPE", "replica");
    long lagFrom = System.nanoTime();
    Thread.sleep(1500);
    long killedAt = System.nanoTime();
    primary.destroyForcibly().waitFor();

    // Until the promoted replica has served 5 s without a refusal, at most 60 s.
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && (lastNon200.get() < killedAt || System.nanoTime() - lastNon200.get() < TimeUnit.SECONDS.toNanos(5))) {
      Thread.sleep(200);
    }
    running.set(false);
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    int newPrimary = Integer.parseInt(redisCli(Integer.parseInt(sentinels.get(0).split(":")[1]),
        "SENTINEL", "get-master-addr-by-name", "signet").strip().split("\n")[1].strip());
    long recoveredAt = lastNon200.get();

    // Every token accepted before the kill, sent again now: refused. Its mark, on the new primary?
    List<Sent> acceptedBefore = sent.stream().filter(s -> s.status() == 200 && s.at() < killedAt).toList();
    int marksLost = 0;
    Map<String, AtomicInteger> replayOutcomes = new ConcurrentHashMap<>();
    for (Sent s : acceptedBefore) {
      if (s.at() >= lagFrom && "0".equals(redisCli(newPrimary, "EXISTS", markKey(session, s.token())).strip())) {
        marksLost++;
      }
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.get(0).base() + "/me"))
          .header("Authorization", "Bearer " + s.token()).build(), HttpResponse.BodyHandlers.ofString());
      replayOutcomes.computeIfAbsent(r.statusCode() + " " + outcome(r.body()), k -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Long> during = new java.util.TreeMap<>();
    sent.stream().filter(s -> s.status() != 200)
        .forEach(s -> during.merge(s.status() + " " + outcome(s.body()), 1L, Long::sum));
    // Requests in flight when the primary died are answered after it, and count as during the switch.
    List<String> refusedBefore = sent.stream().filter(s -> s.status() != 200 && s.answered() < killedAt)
        .map(s -> s.status() + " " + s.body()).limit(5).toList();
    String summary = String.format("Redis failover under load (Sentinel, 2 nodes): requests %d, accepted %d; "
        + "not 200: %s, the last %.1f s after the kill; accepted before the kill: %d, of which %d marks "
        + "were lost by the failover; sent again after it: %s%n",
        sent.size(), sent.stream().filter(s -> s.status() == 200).count(), during,
        (recoveredAt - killedAt) / 1e9, acceptedBefore.size(), marksLost, replayOutcomes);
    System.out.print(summary);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/redis-failover.txt"), summary);

    assertThat(newPrimary).as("Sentinel promoted the replica").isEqualTo(replicaPort);
    assertThat(refusedBefore).as("refusals before the kill").isEmpty();
    assertThat(during.keySet()).as("answers while the primary was gone")
        .allMatch(k -> k.equals("503 unavailable") || k.equals("401 stale"));
    assertThat(sent.stream().filter(s -> s.status() == 200 && s.at() > recoveredAt).count())
        .as("requests accepted after the switch, by themselves").isGreaterThan(50);
    assertThat(marksLost).as("marks that existed only on the killed primary (the window under test)").isPositive();
    assertThat(replayOutcomes.keySet()).as("every token accepted before the kill, sent again")
        .allMatch(k -> k.equals("401 replayed") || k.equals("401 stale"));
    assertThat(Files.readString(nodes.get(0).log()) + Files.readString(nodes.get(1).log()))
        .contains("replay epoch began");
  }

  /** The replay mark a node keeps for a bot token: prefix, scheme, session and jti. */
  String markKey(ClusterIT.Session session, String token) throws Exception {
    JsonNode claims = JSON.readTree(Base64Url.decode(token.split("\\.")[1]));
    return schema + ":mixin-bot:" + session.sessionId() + ":" + claims.get("jti").asText();
  }

  static String outcome(String body) {
    try {
      return JSON.readTree(body).at("/error/description").asText().split(":")[0];
    } catch (Exception e) {
      return "not json";
    }
  }

  Process redisServer(int port, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    redis.add(p);
    awaitOutput(port, "PONG", "PING");
    return p;
  }

  void sentinel(int i, int port, int primaryPort) throws Exception {
    Path conf = dir.resolve("sentinel-" + i + ".conf");
    Files.writeString(conf, """
        port %d
        bind 127.0.0.1
        dir %s
        sentinel monitor signet 127.0.0.1 %d 2
        sentinel down-after-milliseconds signet 1000
        sentinel failover-timeout signet 10000
        sentinel parallel-syncs signet 1
        """.formatted(port, dir, primaryPort));
    Process p = new ProcessBuilder(SENTINEL, conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sentinel-" + i + ".log").toFile()).start();
    redis.add(p);
    awaitOutput(port, "PONG", "PING");
  }

  static String redisCli(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  static void awaitOutput(int port, String expected, String... args) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = redisCli(port, args).replace("\r", "");
      if (last.contains(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("redis on " + port + " never answered " + String.join(" ", args) + " with " + expected + "; last: " + last);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
