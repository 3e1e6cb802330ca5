package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void defaultsAreTheEmbeddedSingleNode() {
    ServerConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo("./signet-data");
    assertThat(c.store().type()).isEqualTo("embedded");
    assertThat(c.verification().acceptanceWindow()).isEqualTo(300);
    assertThat(c.graphene().enabled()).isFalse();
    assertThat(c.routes()).isEmpty();
  }

  @Test
  void fileThenEnvironmentAndListsFromCommas() throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "port: 9000\nverification:\n  clock_skew: 5\ngraphene:\n  auth_identifier: me\n");
    ServerConfig c = ConfigLoader.load(f, Map.of("SIGNET_PORT", "9100", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", "http://a:1, http://b:2",
        "SIGNET_ADMIN_TOKEN", "not-a-setting", "SIGNET_SERVER", "http://127.0.0.1:8080"));
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.verification().clockSkew()).isEqualTo(5);
    assertThat(c.graphene().networks().get("hive").rpc()).containsExactly("http://a:1", "http://b:2");
  }

  @Test
  void redisIsOneUrlOrTheSentinelsOfANamedPrimary() {
    ServerConfig c = ConfigLoader.parse("replay:\n  type: redis\n  sentinels: [\"10.0.0.5:26379\"]\n  master_name: mymaster\n",
        "c.yaml", Map.of("SIGNET_REPLAY_SENTINELS", "10.0.0.5:26379, 10.0.0.6:26379"));
    assertThat(c.replay().sentinel()).isTrue();
    assertThat(c.replay().sentinels()).containsExactly("10.0.0.5:26379", "10.0.0.6:26379");
    assertThat(ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_URL", "redis://r:6379"))
        .replay().sentinel()).isFalse();
    Map<String, String> sentinels = Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_SENTINELS", "s:26379");
    assertThatThrownBy(() -> ConfigLoader.load(null, sentinels)).hasMessage("replay.master_name must name the Sentinels' primary");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_SENTINELS", "s:26379",
        "SIGNET_REPLAY_MASTER_NAME", "m", "SIGNET_REPLAY_URL", "redis://r:6379"))).hasMessage("replay.url and replay.sentinels exclude each other");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_SENTINELS", "redis://s",
        "SIGNET_REPLAY_MASTER_NAME", "m"))).hasMessage("replay.sentinels must be host:port entries");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis")))
        .hasMessage("replay.url must be redis://host:port (or set replay.sentinels)");
  }

  @Test
  void aRedisClusterIsSomeOfItsNodes() {
    ServerConfig c = ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis-cluster", "SIGNET_REPLAY_NODES", "r1:7000, r2:7000,r3:7000"));
    assertThat(c.replay().nodes()).containsExactly("r1:7000", "r2:7000", "r3:7000");
    assertThat(c.replay().redis()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis-cluster")))
        .hasMessage("replay.nodes must be host:port entries, one or more of the cluster's nodes");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis-cluster", "SIGNET_REPLAY_NODES", "redis://r1:7000")))
        .hasMessage("replay.nodes must be host:port entries, one or more of the cluster's nodes");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis-cluster", "SIGNET_REPLAY_NODES", "r1:7000",
        "SIGNET_REPLAY_URL", "redis://r:6379"))).hasMessage("replay.type redis-cluster takes replay.nodes, not replay.url or replay.sentinels");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis-cluster", "SIGNET_REPLAY_NODES", "r1:7000",
        "SIGNET_REPLAY_PREFIX", "app{1}:"))).hasMessage("replay.prefix cannot hold { or } on a cluster: its hash tag would put every key in one slot");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "redis", "SIGNET_REPLAY_URL", "redis://r:6379",
        "SIGNET_REPLAY_NODES", "r1:7000"))).hasMessage("replay.nodes is for replay.type redis-cluster");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_TYPE", "cluster")))
        .hasMessage("replay.type must be memory, redis or redis-cluster");
  }

  @Test
  void aKeyWithoutAValueIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("store:\n  type: \n", "c.yaml", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("setting store.type has no value (write \"\" for empty)");
    assertThatThrownBy(() -> ConfigLoader.parse("decisions:\n  trusted_proxies: [~]\n", "c.yaml", Map.of()))
        .hasMessage("setting decisions.trusted_proxies[0] has no value (write \"\" for empty)");
  }

  @Test
  void typosAndBadValuesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_PROT", "1"))).hasMessage("unknown environment setting SIGNET_PROT");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_PORT", "eighty"))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_PORT", "70000"))).hasMessage("port must be 0-65535");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_CRYPTO_ED25519", "fast")))
        .hasMessage("crypto.ed25519 must be auto, native or java");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_REPLAY_CAPACITY", "10")))
        .hasMessage("replay.capacity must be 0 (from the heap) or at least 1000");
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "verification:\n  acceptance_windw: 5\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessage("unknown setting verification.acceptance_windw");
    Files.writeString(f, "graphene:\n  auth_identifier: me\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("no network has rpc nodes");
    Files.writeString(f, "routes:\n  - {prefix: /admin/x, upstream: \"http://a:1\"}\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("/admin");
  }

  @Test
  void reuseIsPerSchemeAndOnlyServiceTokensMayBeReused() {
    assertThat(ConfigLoader.load(null, Map.of()).reuse(dev.signet.verify.Scheme.SERVICE)).isEqualTo(dev.signet.verify.Reuse.ONCE);
    assertThat(ConfigLoader.load(null, Map.of("SIGNET_VERIFICATION_SCHEMES_SERVICE_REUSE", "until_expiry"))
        .reuse(dev.signet.verify.Scheme.SERVICE)).isEqualTo(dev.signet.verify.Reuse.UNTIL_EXPIRY);
    assertThat(ConfigLoader.parse("verification:\n  schemes:\n    mixin-bot: {reuse: once}\n", "c.yaml", Map.of())
        .reuse(dev.signet.verify.Scheme.MIXIN_BOT)).isEqualTo(dev.signet.verify.Reuse.ONCE);
    assertThatThrownBy(() -> ConfigLoader.parse("verification:\n  schemes:\n    mixin-bot: {reuse: until_expiry}\n", "c.yaml", Map.of()))
        .hasMessage("verification.schemes.mixin-bot.reuse must be once: only service tokens may be reused");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_VERIFICATION_SCHEMES_SERVICE_REUSE", "twice")))
        .hasMessage("verification.schemes.service.reuse must be once or until_expiry");
    assertThatThrownBy(() -> ConfigLoader.parse("verification:\n  schemes:\n    basic: {reuse: once}\n", "c.yaml", Map.of()))
        .hasMessageStartingWith("verification.schemes.basic: no such scheme");
  }

  @Test
  void jwksIssuersNeedHttpsSaneTimingAndAnAudience() {
    String ok = "verification: {audience: api}\nservice:\n  issuers:\n    org-1: {jwks_uri: \"https://login.example/jwks\"}\n";
    ServerConfig.Issuer i = ConfigLoader.parse(ok, "c.yaml", Map.of()).service().issuers().get("org-1");
    assertThat(i.cacheSeconds()).isEqualTo(300);
    assertThat(i.minRefreshSeconds()).isEqualTo(30);
    assertThat(i.maxStaleSeconds()).isEqualTo(3600);
    assertThatThrownBy(() -> ConfigLoader.parse(ok.replace("https:", "http:"), "c.yaml", Map.of()))
        .hasMessage("service.issuers.org-1.jwks_uri must be an https:// URL");
    assertThatThrownBy(() -> ConfigLoader.parse(ok.replace("audience: api", "audience: \"\""), "c.yaml", Map.of()))
        .hasMessageStartingWith("service.issuers needs verification.audience");
    assertThatThrownBy(() -> ConfigLoader.parse(ok.replace("jwks\"}", "jwks\", cache_seconds: 10, min_refresh_seconds: 60}"), "c.yaml", Map.of()))
        .hasMessageStartingWith("service.issuers.org-1.cache_seconds must be at least min_refresh_seconds");
    assertThatThrownBy(() -> ConfigLoader.parse(ok.replace("jwks_uri", "jwks_url"), "c.yaml", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("jwks_url");
  }

  @Test
  void publicOriginAndSignatureComponentsAreChecked() {
    assertThat(ConfigLoader.load(null, Map.of("SIGNET_PUBLIC_ORIGIN", "https://api.example.com:8443")).publicOrigin())
        .isEqualTo("https://api.example.com:8443");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_PUBLIC_ORIGIN", "https://api.example.com/v1")))
        .hasMessageStartingWith("public_origin must be scheme://host[:port]");
    assertThat(ConfigLoader.load(null, Map.of()).httpSignatures().requiredComponents()).containsExactly("@method", "@target-uri");
    assertThat(ConfigLoader.load(null, Map.of("SIGNET_HTTP_SIGNATURES_REQUIRED_COMPONENTS", "@method,@authority,date"))
        .httpSignatures().requiredComponents()).containsExactly("@method", "@authority", "date");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SIGNET_HTTP_SIGNATURES_REQUIRED_COMPONENTS", "@status")))
        .hasMessageContaining("@status is not a component name");
    assertThat(ConfigLoader.load(null, Map.of("SIGNET_DPOP_NONCE", "true")).dpop().nonce()).isTrue();
  }
}
