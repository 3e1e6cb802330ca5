package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained distribution ({@code ./mvnw -Pdist package}): unpacked into an empty
 * directory, {@code bin/signet serve} runs on its own runtime with a PATH that holds nothing (so no
 * JDK, nor any other program, is found), answers, and its admin command works the same way.
 */
class DistIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static Path tarball() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("signet-.*-linux-x64\\.tar\\.gz")).findFirst().orElse(null);
    }
  }

  @Test
  void unpackedItServesWithItsOwnRuntimeAndAnEmptyPath() throws Exception {
    Path tarball = tarball();
    assumeTrue(tarball != null, "skipped: the distribution is built with -Pdist (the README's test command and .ci/run pass it)");
    Path unpacked = dir.resolve("opt");
    Files.createDirectories(unpacked);
    Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString()).inheritIO().start();
    assertThat(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
    Path home;
    try (Stream<Path> top = Files.list(unpacked)) {
      home = top.findFirst().orElseThrow();
    }
    for (String f : List.of("bin/signet", "lib/signet.jar", "runtime/bin/java", "systemd/signet.service", "conf/signet.yaml", "README")) {
      assertThat(home.resolve(f)).as(f).exists();
    }
    assertThat(Files.isExecutable(home.resolve("bin/signet"))).isTrue();
    String unit = Files.readString(home.resolve("systemd/signet.service"));
    assertThat(unit).contains("DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=signet", "ExecStart=/opt/signet/bin/signet serve");
    assertThat(Files.readString(home.resolve("runtime/release"))).contains("JAVA_VERSION=").contains("jdk.crypto.ec");

    Path empty = Files.createDirectory(dir.resolve("empty-path"));
    Map<String, String> env = Map.of("PATH", empty.toString(), "HOME", dir.toString());
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/signet").toString(), "serve", "--config", home.resolve("conf/signet.yaml").toString(),
        "--port", "0", "--host", "127.0.0.1", "--data-dir", dir.resolve("data").toString())
        .directory(dir.toFile()).redirectError(dir.resolve("serve.log").toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    try (ServeProcess serve = ServeProcess.start(pb, dir.resolve("serve.log"))) {
      int port = serve.port();
      String token = serve.adminToken();
      assertThat(token).isNotBlank();
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode h = JSON.readTree(health.body());
      assertThat(h.at("/data/status").asText()).isEqualTo("ok");
      assertThat(h.at("/data/crypto/ed25519").asText()).isNotBlank();

      ProcessBuilder admin = new ProcessBuilder(home.resolve("bin/signet").toString(), "admin", "--server", "http://127.0.0.1:" + port,
          "--admin-token", token, "user", "create", "--name", "from-dist").directory(dir.toFile()).redirectErrorStream(true);
      admin.environment().clear();
      admin.environment().putAll(env);
      Process a = admin.start();
      String answer = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(a.waitFor(60, TimeUnit.SECONDS) && a.exitValue() == 0).as(answer).isTrue();
      assertThat(JSON.readTree(answer).get("user_id").asText()).matches("[0-9a-f-]{36}");
      serve.terminate();
      assertThat(serve.awaitExit(60)).as("SIGTERM: a graceful stop").isZero();
    }
  }
}
