package dev.signet.cli;

import static dev.signet.cli.Proc.signet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.keys.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's command line: serve's flags and --print-config, and the admin read commands as tables and JSON. */
class AdminCliIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void flagsWinOverFileAndEnvironmentAndPrintConfigMasksSecrets() throws Exception {
    Path config = dir.resolve("signet.yaml");
    Files.writeString(config, "port: 1\nstore:\n  password: from-the-file-s3cret\nreplay:\n  url: redis://app:r3dis-pass@10.0.0.1:6379\n");
    Proc.Result printed = signet("serve", "--config", config.toString(), "--port", "9999", "--host", "127.0.0.2",
        "--data-dir", dir.resolve("d").toString(), "--print-config");
    assertThat(printed.exit()).as(printed.toString()).isZero();
    assertThat(printed.out()).contains("port: 9999").contains("host: \"127.0.0.2\"").contains("data_dir: \"" + dir.resolve("d") + "\"")
        .contains("password: \"********\"").contains("redis://app:********@10.0.0.1:6379")
        .doesNotContain("s3cret").doesNotContain("r3dis-pass");
    assertThat(signet("serve", "--port", "x").exit()).isEqualTo(2);

    int port = RollingRestartIT.freePort();
    try (ServeProcess serve = ServeProcess.start(Map.of("SIGNET_PORT", "1", "SIGNET_DATA_DIR", "/nonexistent/nowhere"), dir.resolve("serve.log"),
        "--config", config.toString(), "--port", Integer.toString(port), "--data-dir", dir.resolve("data").toString())) {
      assertThat(serve.port()).isEqualTo(port);
      assertThat(Files.exists(dir.resolve("data/admin.token"))).isTrue();
    }
  }

  @Test
  void adminListShowAndDeleteAsTablesAndJson() throws Exception {
    try (ServeProcess serve = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("data").toString()), dir.resolve("serve.log"))) {
      List<String> admin = List.of("admin", "--server", serve.base(), "--admin-token", serve.adminToken());
      List<String> uids = new ArrayList<>();
      for (String name : List.of("ops-alice", "ops-bob", "carol")) {
        uids.add(JSON.readTree(run(admin, "user", "create", "--name", name).out()).get("user_id").asText());
      }
      String alice = uids.get(0);
      String pub = Ed25519PrivateKey.generate(new SecureRandom()).publicKey().toBase64Url();
      String sid = JSON.readTree(run(admin, "session", "create", "--user", alice, "--public-key", pub, "--scopes", "PROFILE:READ").out())
          .get("session_id").asText();
      String app = UUID.randomUUID().toString();
      run(admin, "oauth", "create", "--app-id", app, "--user", alice, "--public-key", pub, "--scopes", "ASSETS:READ");

      Proc.Result table = run(admin, "user", "list", "--name-prefix", "ops-");
      List<String> lines = table.out().lines().toList();
      assertThat(lines.get(0)).matches("USER_ID +NAME +SESSIONS +CREATED");
      assertThat(lines).hasSize(3);
      assertThat(table.out()).contains("ops-alice").contains("ops-bob").doesNotContain("carol");
      JsonNode page = JSON.readTree(run(admin, "user", "list", "--limit", "2", "--json").out());
      assertThat(page.get("users")).hasSize(2);
      assertThat(run(admin, "user", "list", "--limit", "2").out()).contains("(more: --cursor " + page.get("next_cursor").asText() + ")");
      JsonNode rest = JSON.readTree(run(admin, "user", "list", "--limit", "2", "--cursor", page.get("next_cursor").asText(), "--json").out());
      assertThat(rest.get("users")).hasSize(1);

      Proc.Result show = run(admin, "user", "show", alice);
      assertThat(show.out()).contains("name:     ops-alice").contains("sessions: 1").contains(sid).contains("PROFILE:READ");
      assertThat(JSON.readTree(run(admin, "user", "show", alice, "--json").out()).get("sessions").get(0).get("session_id").asText())
          .isEqualTo(sid);
      assertThat(run(admin, "session", "list", "--user", alice).out().lines().toList()).hasSize(2).last().asString().startsWith(sid);
      assertThat(run(admin, "oauth", "list", "--app-id", app).out()).contains(alice).contains("ASSETS:READ");
      assertThat(run(admin, "service-key", "list").out().strip()).isEqualTo("ISSUER  KID  KEY  CREATED");
      assertThat(run(admin, "audit", "--limit", "1").out()).contains("oauth_authorization.create");

      assertThat(JSON.readTree(run(admin, "user", "delete", alice).out()).get("sessions_deleted").asInt()).isEqualTo(1);
      Proc.Result gone = signet(args(admin, "user", "show", alice));
      assertThat(gone.exit()).isEqualTo(1);
      assertThat(gone.err()).contains("error 404").contains("no user " + alice);
    }
  }

  static String[] args(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  static Proc.Result run(List<String> head, String... tail) {
    Proc.Result r = signet(args(head, tail));
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }
}
