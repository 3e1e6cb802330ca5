package dev.signet.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code signet serve} from the built jar, as a separate process with its own environment: waits
 * until it listens, keeps the admin token it printed (if it generated one), stops it on close.
 * Its log (stderr) goes to a file, so that a failing test can show it.
 */
final class ServeProcess implements AutoCloseable {
  static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  static final Pattern TOKEN = Pattern.compile("admin token .*: (\\S+)$");

  private final Process process;
  private final int port;
  private final String adminToken;
  private final Path log;

  private ServeProcess(Process process, int port, String adminToken, Path log) {
    this.process = process;
    this.port = port;
    this.adminToken = adminToken;
    this.log = log;
  }

  static ServeProcess start(Map<String, String> env, Path log) throws IOException {
    return start(env, log, new String[0]);
  }

  /** With {@code flags} after {@code serve}. */
  static ServeProcess start(Map<String, String> env, Path log, String... flags) throws IOException {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx256m", "-jar", Proc.JAR, "serve"));
    cmd.addAll(java.util.List.of(flags));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SIGNET_"));
    pb.environment().put("SIGNET_PORT", "0");
    pb.environment().put("SIGNET_HOST", "127.0.0.1");
    pb.environment().putAll(env);
    return start(pb, log);
  }

  /** Starts {@code pb} (a {@code serve} command of any form, its stderr already sent to {@code log}) and waits until it listens. */
  static ServeProcess start(ProcessBuilder pb, Path log) throws IOException {
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String token = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
      Matcher t = TOKEN.matcher(line);
      if (t.find()) {
        token = t.group(1);
      }
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return new ServeProcess(p, Integer.parseInt(m.group(1)), token, log);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("signet serve did not start; its log is in " + log);
  }

  int port() {
    return port;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** The admin token this process generated and printed, or null. */
  String adminToken() {
    return adminToken;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, without waiting. */
  void terminate() {
    process.destroy();
  }

  /** Its exit code, once it has exited within {@code seconds}. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("signet serve still runs " + seconds + " s after SIGTERM; its log is in " + log);
    }
    return process.exitValue();
  }

  /** Stops it as an operator would (SIGTERM), forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
