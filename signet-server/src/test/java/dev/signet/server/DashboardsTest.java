package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/}: the Grafana dashboard and the Prometheus alerts use only metrics the server
 * really exports (scraped from two running servers: in-memory replay, and Redis), and the rules
 * pass {@code promtool check rules} and their own {@code promtool test rules}.
 */
class DashboardsTest {
  static final Path DEPLOY = Path.of(System.getProperty("signet.repo", "..")).resolve("deploy").toAbsolutePath().normalize();
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** PromQL words that are not metric names. */
  static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
      "offset", "inf", "nan");

  @TempDir
  Path dir;

  @Test
  void everyMetricTheDashboardAndAlertsUseIsExported() throws Exception {
    List<String> exprs = new ArrayList<>();
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/signet.json").toFile());
    assertThat(dashboard.get("panels")).hasSizeGreaterThan(5);
    for (JsonNode panel : dashboard.get("panels")) {
      panel.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
    }
    JsonNode rules = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    for (JsonNode group : rules.get("groups")) {
      group.get("rules").forEach(r -> exprs.add(r.get("expr").asText()));
    }
    Set<String> exported = new TreeSet<>();
    // One issuer with a JWKS URL (never reachable here): its fetch counters and key gauge exist from the start.
    exported.addAll(scrape("verification: {audience: api}\nservice:\n  issuers:\n    org-1: {jwks_uri: \"https://127.0.0.1:9/jwks\"}\n",
        Map.of()));
    // With a rate limit: its counter exists from the start.
    exported.addAll(scrape(null, Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_URL", "redis://127.0.0.1:6379",
        "SIGNET_REPLAY_PREFIX", "signet-dash-" + UUID.randomUUID() + ":", "SIGNET_RATE_LIMITS", "per-user:user:100/60")));

    List<String> unknown = new ArrayList<>();
    for (String expr : exprs) {
      Set<String> names = metricNames(expr);
      assertThat(names).as("an expression without a metric: " + expr).isNotEmpty();
      names.stream().filter(n -> !exported.contains(n)).forEach(n -> unknown.add(n + " in " + expr));
    }
    assertThat(unknown).as("exported: " + exported).isEmpty();
    // The dashboard covers what the issue asks for.
    String all = String.join("\n", exprs);
    assertThat(all).contains("signet_verifications_total", "signet_verification_seconds_bucket", "signet_replay_entries", "signet_store_up",
        "signet_replay_up", "signet_pin_checks_total", "jvm_memory_used_bytes", "signet_jwks_fetches_total", "signet_rate_limited_total",
        "signet_throttled_total", "signet_throttled_addresses");
  }

  @Test
  void promtoolChecksAndTestsTheRules() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "skipped: promtool is not installed (Debian's prometheus package); .ci/run installs it");
    assertThat(run(PROMTOOL.toString(), "check", "rules", "alerts.yml")).contains("SUCCESS: 8 rules found");
    assertThat(run(PROMTOOL.toString(), "test", "rules", "alerts_test.yml")).contains("SUCCESS");
  }

  /** Metric names in a PromQL expression: identifiers that are not functions, keywords, label names or durations. */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"[^\"]*\"", "\"\"")
        .replaceAll("\\{[^}]*\\}", "")
        .replaceAll("\\[[^]]*\\]", "")
        .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "")
        .replaceAll("\\$\\w+", "");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(s);
    while (m.find()) {
      String word = m.group(1);
      if (m.group(2) == null && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT)) && !word.matches("[0-9.e]+")) {
        out.add(word);
      }
    }
    return out;
  }

  /** The metric names a running server exports after it has verified, refused, checked a PIN and collected garbage. */
  Set<String> scrape(String yaml, Map<String, String> env) throws Exception {
    try (LocalServer server = new LocalServer(dir.resolve(UUID.randomUUID().toString()), yaml, env)) {
      String uid = server.newUser("metrics");
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
      String sid = server.newSession(uid, key.publicKey().toBase64Url());
      MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
      assertThat(server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + signer.sign("GET", "/me", new byte[0]))).status())
          .isEqualTo(200);
      server.call("GET", "/me", null, Map.of("Authorization", "Bearer nonsense"));
      String body = "{\"pin\":\"x\"}";
      server.call("POST", "/pin/verify", body,
          Map.of("Authorization", "Bearer " + signer.sign("POST", "/pin/verify", body.getBytes(StandardCharsets.UTF_8))));
      System.gc();  // the server runs in this JVM: its GC pause timer appears after a first collection, as in any long run
      Thread.sleep(5500);  // one health check round, so the up gauges have been set by a check
      Set<String> names = new TreeSet<>();
      for (String line : server.call("GET", "/metrics", null, Map.of()).raw().body().split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
      return names;
    }
  }

  String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(DEPLOY.resolve("prometheus").toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
