package dev.signet.cli;

import static dev.signet.cli.Proc.signet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code signet serve} as a process, driven by the CLI itself: admin token, a session, a signed request, a restart. */
class ServeIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  ServeProcess serve() throws Exception {
    return ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("data").toString()), dir.resolve("serve.log"));
  }

  static JsonNode http(String method, String url, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return JSON.readTree(HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void serveAdministerAndCallWithTheCli() throws Exception {
    ServeProcess first = serve();
    try {
      assertThat(first.adminToken()).isNotBlank();
      assertThat(Files.readString(dir.resolve("data/admin.token")).strip()).isEqualTo(first.adminToken());
      String base = "http://127.0.0.1:" + first.port();
      assertThat(http("GET", base + "/healthz", null, null).at("/data/status").asText()).isEqualTo("ok");
      // The admin API through the CLI: the token comes from --admin-token @file.
      String tokenFile = "@" + dir.resolve("data/admin.token");
      Proc.Result user = signet("admin", "--server", base, "--admin-token", tokenFile, "user", "create", "--name", "alice");
      assertThat(user.exit()).as(user.toString()).isZero();
      String uid = JSON.readTree(user.out()).get("user_id").asText();
      Proc.Result session = signet("admin", "session", "create", "--server", base, "--admin-token", tokenFile, "--user", uid,
          "--scopes", "PROFILE:READ ASSETS:READ");
      assertThat(session.exit()).as(session.toString()).isZero();
      Path keystore = dir.resolve("keystore.json");
      Files.writeString(keystore, JSON.readTree(session.out()).get("keystore").toString());
      assertThat(signet("admin", "--server", base, "--admin-token", tokenFile, "pin", "set", "--user", uid, "--pin", "123456").exit()).isZero();
      Proc.Result badPin = signet("admin", "--server", base, "--admin-token", tokenFile, "pin", "set", "--user", uid, "--pin", "12");
      assertThat(badPin.exit()).isEqualTo(1);
      assertThat(badPin.err()).contains("error 400").contains("6 digits");
      assertThat(signet("admin", "--server", base, "--admin-token", "wrong-token-000000", "user", "create").err()).contains("error 401");
      Thread.sleep(1100);
      Proc.Result me = signet("request", "GET", base + "/me", "--keystore", keystore.toString());
      assertThat(me.exit()).as(me.toString()).isZero();
      assertThat(JSON.readTree(me.out()).at("/data/user_id").asText()).isEqualTo(uid);
      Proc.Result signed = signet("request", "GET", base + "/me", "--http-signature", "--keystore", keystore.toString());
      assertThat(signed.exit()).as(signed.toString()).isZero();
      assertThat(JSON.readTree(signed.out()).at("/data/scheme").asText()).isEqualTo("http-signature");
      // A body, signed with its Content-Digest: authenticated (the PIN check after it is what refuses).
      Proc.Result signedPost = signet("request", "POST", base + "/pin/verify", "--data", "{\"pin\":\"x\"}",
          "--http-signature", "--keystore", keystore.toString());
      assertThat(signedPost.err()).as(signedPost.toString()).contains("pin_");
      Proc.Result refused = signet("request", "GET", base + "/me", "--keystore", dir.resolve("nope.json").toString());
      assertThat(refused.exit()).isEqualTo(1);
      String sid = JSON.readTree(Files.readString(keystore)).get("session_id").asText();
      assertThat(signet("admin", "--server", base, "--admin-token", tokenFile, "session", "delete", sid).exit()).isZero();
      Proc.Result revoked = signet("request", "GET", base + "/me", "--keystore", keystore.toString());
      assertThat(revoked.exit()).isEqualTo(1);
      assertThat(revoked.err()).contains("unknown_key");
    } finally {
      first.close();
    }
    ServeProcess second = serve();
    try {
      assertThat(second.adminToken()).as("the admin token is printed on the first start only").isNull();
      String users = http("POST", "http://127.0.0.1:" + second.port() + "/admin/users", "{}",
          Files.readString(dir.resolve("data/admin.token")).strip()).at("/data/user_id").asText();
      assertThat(users).hasSize(36);
    } finally {
      second.close();
    }
  }

  /** A first start tells a person where it listens and the admin token, without the libraries' chatter (Flyway's migrations). */
  @Test
  void firstStartIsQuietUnlessDebug() throws Exception {
    Path quiet = dir.resolve("quiet.log");
    try (ServeProcess p = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("quiet").toString()), quiet)) {
      assertThat(p.adminToken()).isNotBlank();
    }
    List<String> lines = Files.readAllLines(quiet).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("listening on 127.0.0.1:"));
    assertThat(lines).as("no library logs below WARN").noneSatisfy(l -> assertThat(l).containsPattern("(INFO|DEBUG) .*o\\.f\\.|[Mm]igrat"));
    Path debug = dir.resolve("debug.log");
    try (ServeProcess p = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("debug").toString(), "SIGNET_LOG_LEVEL", "debug"), debug)) {
      assertThat(p.port()).isPositive();
    }
    assertThat(Files.readString(debug)).as("log.level debug shows them").contains("Migrating schema");
  }

  @Test
  void jsonLogsAreOneObjectPerLine() throws Exception {
    Path log = dir.resolve("json.log");
    try (ServeProcess p = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("data").toString(), "SIGNET_LOG_FORMAT", "json"), log)) {
      assertThat(http("GET", p.base() + "/healthz", null, null).at("/data/status").asText()).isEqualTo("ok");
    }
    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.has("timestamp") && event.has("level") && event.has("formattedMessage")).as(line).isTrue();
    }
    assertThat(lines).anySatisfy(l -> assertThat(JSON.readTree(l).get("formattedMessage").asText()).contains("listening on 127.0.0.1:"));
  }

  @Test
  void badConfigurationIsOneClearLine() {
    Proc.Result r = Proc.run(null, List.of("env", "SIGNET_PORTT=1", System.getProperty("java.home") + "/bin/java", "-jar", Proc.JAR, "serve"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("signet: unknown environment setting SIGNET_PORTT");
  }
}
