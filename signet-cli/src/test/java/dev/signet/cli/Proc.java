package dev.signet.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command as a separate process and captures everything it says. */
final class Proc {
  /** The outcome of one run. */
  record Result(int exit, String out, String err) {
    String line() {
      return out.strip();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  static final Path REPO = Path.of(System.getProperty("signet.repo", "..")).toAbsolutePath().normalize();
  static final String JAR = System.getProperty("signet.jar", "target/signet.jar");

  private Proc() {}

  /** {@code signet ARGS}, from the built jar. */
  static Result signet(String... args) {
    return signetWithInput(null, args);
  }

  static Result signetWithInput(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR));
    cmd.addAll(Arrays.asList(args));
    return run(stdin, cmd);
  }

  static Result run(String stdin, List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "<unreadable: " + e.getMessage() + ">";
      }
    });
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
