package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on the real PostgreSQL and Redis behind HAProxy (Debian's package), health-checked on
 * /healthz, restarted one after the other under steady load with a distinct token per request. Pass:
 * every request answered 200 (no 5xx, no reset), and afterwards every token accepted once is refused
 * when sent again. The run's figures go to target/rolling-restart.txt.
 */
class RollingRestartIT {
  static final String HAPROXY = "/usr/sbin/haproxy";
  static final String ADMIN = "rolling-restart-admin-token-0123456789";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;
  final String schema = "signet_rolling_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final List<ServeProcess> nodes = new ArrayList<>();
  Process haproxy;

  @AfterEach
  void stop() throws Exception {
    for (ServeProcess n : nodes) {
      n.close();
    }
    if (haproxy != null) {
      haproxy.destroyForcibly().waitFor();
    }
    try (Connection c = DriverManager.getConnection(ClusterIT.PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  ServeProcess startNode(int i, int port) throws Exception {
    Map<String, String> env = ClusterIT.nodeEnvironment(dir.resolve("node" + i), schema, 5432, 6379);
    env.put("SIGNET_PORT", String.valueOf(port));
    env.put("SIGNET_ADMIN_TOKEN", ADMIN);
    // Longer than HAProxy's check interval x fall (300 ms x 1): it stops sending here before the port closes.
    env.put("SIGNET_SHUTDOWN_DRAIN_SECONDS", "2");
    env.put("SIGNET_SHUTDOWN_GRACE_SECONDS", "20");
    return ServeProcess.start(env, dir.resolve("node" + i + "-" + System.nanoTime() + ".log"));
  }

  @Test
  void restartingEveryNodeUnderLoadLosesNoRequestAndAcceptsNoTokenTwice() throws Exception {
    assumeTrue(new File(HAPROXY).canExecute(), "haproxy is not installed: skipped (apt-get install haproxy; .ci/run installs it)");
    int[] ports = {freePort(), freePort(), freePort()};
    for (int i = 0; i < 3; i++) {
      nodes.add(startNode(i, ports[i]));
    }
    int front = freePort();
    haproxy = startHaproxy(front, ports);
    String base = "http://127.0.0.1:" + front;
    waitUntilUp(base);
    ClusterIT.Session session = ClusterIT.newSession(nodes.get(0), ADMIN);

    AtomicBoolean running = new AtomicBoolean(true);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          String token = session.token("GET", "/me", null);
          try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/me")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 200) {
              accepted.add(token);
            } else if (failures.size() < 20) {
              failures.add(r.statusCode() + " " + r.body());
            }
          } catch (Exception e) {
            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            if (failures.size() < 20) {
              failures.add(e.toString());
            }
          }
        }
      }, "client-" + c);
      t.start();
      clients.add(t);
    }

    long started = System.nanoTime();
    Thread.sleep(2000);
    for (int i = 0; i < 3; i++) {
      ServeProcess old = nodes.get(i);
      old.terminate();
      assertThat(old.awaitExit(40)).as("node " + i + " exit code").isZero();
      assertThat(Files.readString(old.log())).as("node " + i + " drained").contains("shutting down").contains("stopped");
      nodes.set(i, startNode(i, ports[i]));
      Thread.sleep(2000);   // HAProxy's rise (2 checks of 300 ms) and some load on the new node
    }
    running.set(false);
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    // Every token that was accepted once, sent again through the balancer: refused, on whichever node.
    AtomicInteger refusedAsReplayed = new AtomicInteger();
    java.util.concurrent.ExecutorService replayers = java.util.concurrent.Executors.newFixedThreadPool(8);
    for (String token : accepted) {
      replayers.execute(() -> {
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/me"))
              .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 401 && r.body().contains("replayed")) {
            refusedAsReplayed.incrementAndGet();
          }
        } catch (Exception e) {
          // counted as not refused
        }
      });
    }
    replayers.shutdown();
    assertThat(replayers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    int replayedRefused = refusedAsReplayed.get();
    String summary = String.format("rolling restart behind HAProxy: 3 nodes restarted one after the other in %.1f s; "
        + "requests %d, answered 200: %d, other statuses or errors: %s; accepted tokens sent again: %d, refused as replayed: %d%n",
        seconds, statuses.values().stream().mapToInt(AtomicInteger::get).sum(), accepted.size(),
        statuses.entrySet().stream().filter(e -> e.getKey() != 200).map(e -> e.getKey() + "=" + e.getValue()).toList(),
        accepted.size(), replayedRefused);
    System.out.print(summary);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/rolling-restart.txt"), summary);

    assertThat(failures).as("requests not answered 200 during the restarts").isEmpty();
    assertThat(statuses.keySet()).containsOnly(200);
    assertThat(accepted.size()).as("requests during the run").isGreaterThan(200);
    assertThat(replayedRefused).as("accepted tokens refused when sent again").isEqualTo(accepted.size());
  }

  Process startHaproxy(int front, int[] ports) throws Exception {
    StringBuilder cfg = new StringBuilder("""
        global
          maxconn 256
        defaults
          mode http
          timeout connect 2s
          timeout client 30s
          timeout server 30s
          # A connection refused, or a reused idle connection the node closed before reading the
          # request, is retried on another node: neither request reached Signet, so no token was claimed.
          retries 3
          option redispatch 1
          retry-on conn-failure empty-response
        frontend signet
          bind 127.0.0.1:%d
          default_backend nodes
        backend nodes
          balance roundrobin
          option httpchk GET /healthz
          http-check expect status 200
          default-server inter 300ms fall 1 rise 2
        """.formatted(front));
    for (int i = 0; i < ports.length; i++) {
      cfg.append("  server node").append(i).append(" 127.0.0.1:").append(ports[i]).append(" check\n");
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg.toString());
    Process p = new ProcessBuilder(HAPROXY, "-db", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    assertThat(p.isAlive()).as("haproxy started").isTrue();
    return p;
  }

  static void waitUntilUp(String base) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          Thread.sleep(1000);   // and the other nodes' first checks
          return;
        }
      } catch (java.io.IOException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("HAProxy did not come up on " + base);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
