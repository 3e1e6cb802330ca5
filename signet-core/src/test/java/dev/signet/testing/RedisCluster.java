package dev.signet.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on loopback, made of Debian's {@code redis-server} processes: three primaries
 * and a replica each, joined by {@code redis-cli --cluster create}. A node timeout of one second
 * makes a failover take about two; {@code cluster-require-full-coverage no} keeps the other
 * primaries answering while one is down, as production clusters are advised to; a replica validity
 * factor of 0 lets a replica take over however long ago it last heard its primary (a loaded test
 * machine can delay the first sync past Redis's default bound). Ready once every replica's link to
 * its primary is up.
 */
public final class RedisCluster implements AutoCloseable {
  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final Map<Integer, Process> processes = new HashMap<>();

  public RedisCluster(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    for (int i = 0; i < 6; i++) {
      ports.add(freePort());
    }
    for (int port : ports) {
      start(port);
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    run(create);
    awaitOk(ports);
  }

  /** Whether Debian's Redis is here (the tests say so and skip when it is not). */
  public static boolean available() {
    try {
      return new ProcessBuilder("redis-server", "--version").start().waitFor() == 0
          && new ProcessBuilder("redis-cli", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Every node, as {@code replay.nodes} takes them. */
  public List<String> nodes() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** One node's {@code CLUSTER NODES} line per node: id, address, flags, primary, ..., slot ranges. */
  public record Node(String id, int port, boolean primary, boolean failed, List<int[]> slots) {
    public boolean owns(int slot) {
      return slots.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
    }
  }

  /** The cluster as a live node sees it. */
  public List<Node> view() throws IOException, InterruptedException {
    for (int port : ports) {
      if (processes.get(port).isAlive()) {
        String out = cli(port, "CLUSTER", "NODES");
        List<Node> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
          String[] f = line.trim().split(" ");
          if (f.length < 8) {
            continue;
          }
          List<int[]> slots = new ArrayList<>();
          for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
              continue; // a slot being migrated
            }
            String[] range = f[i].split("-");
            slots.add(new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])});
          }
          int at = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          nodes.add(new Node(f[0], at, f[2].contains("master"), f[2].contains("fail") && !f[2].contains("fail?"), slots));
        }
        return nodes;
      }
    }
    throw new IllegalStateException("no node of the cluster is running");
  }

  /** The primary that owns {@code slot} now. */
  public Node primaryOf(int slot) throws IOException, InterruptedException {
    return view().stream().filter(n -> n.primary() && !n.failed() && n.owns(slot)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no primary owns slot " + slot));
  }

  /** Kills a node outright (SIGKILL): what it had not replicated is lost. */
  public void kill(int port) throws InterruptedException {
    Process p = processes.get(port);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts a killed node again: it rejoins, as a replica of the primary that replaced it. */
  public void restart(int port) throws IOException, InterruptedException {
    start(port);
  }

  /** Waits until every running node says the cluster is whole and {@code port} serves no slot as a failed primary. */
  public void awaitOk() throws IOException, InterruptedException {
    awaitOk(ports.stream().filter(p -> processes.get(p).isAlive()).toList());
  }

  /** Moves {@code count} slots from one primary to another, as an operator does: {@code redis-cli --cluster reshard}. */
  public void reshard(Node from, Node to, int count) throws IOException, InterruptedException {
    run(List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + to.port(), "--cluster-from", from.id(), "--cluster-to", to.id(),
        "--cluster-slots", Integer.toString(count), "--cluster-yes"));
  }

  public String cli(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private void awaitOk(List<Integer> live) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      boolean ok = true;
      for (int port : live) {
        ok &= cli(port, "CLUSTER", "INFO").contains("cluster_state:ok");
      }
      if (ok && view().stream().noneMatch(n -> n.primary() && n.failed() && !n.slots().isEmpty()) && replicasLinked(live)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the Redis Cluster did not come up whole within 30 s");
  }

  /** Whether every replica among {@code live} has its link to its primary up (synced). */
  private boolean replicasLinked(List<Integer> live) throws IOException, InterruptedException {
    for (int port : live) {
      String info = cli(port, "INFO", "replication");
      if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
        return false;
      }
    }
    return true;
  }

  private void start(int port) throws IOException {
    Path home = Files.createDirectories(dir.resolve("redis-" + port));
    List<String> cmd = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
        "--cluster-config-file", home.resolve("nodes.conf").toString(), "--cluster-node-timeout", "1000",
        "--cluster-require-full-coverage", "no", "--cluster-replica-validity-factor", "0", "--save", "", "--appendonly", "no", "--dir", home.toString(),
        "--logfile", home.resolve("redis.log").toString());
    processes.put(port, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start());
    long deadline = System.currentTimeMillis() + 10_000;
    try {
      while (System.currentTimeMillis() < deadline && !cli(port, "PING").contains("PONG")) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  /** A port that is free, and whose cluster bus port (+10000) is free too. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (port + 10_000 > 65_535) {
        continue;
      }
      try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port pair for a Redis Cluster node");
  }

  @Override
  public void close() {
    processes.values().forEach(Process::destroyForcibly);
    for (Process p : processes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
