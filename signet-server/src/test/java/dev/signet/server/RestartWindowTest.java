package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsSigner;
import dev.signet.dpop.DpopSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.httpsig.HttpSignatureSigner;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.RpcNodeDouble;
import dev.signet.testing.Fixtures;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No replay window across a restart of a node whose replay store is in memory: a credential used
 * before the restart is refused after it, though its marks were lost with the process, including
 * those the restart rule ({@code iat} at or before the start) cannot reach: tokens, message
 * signatures and DPoP proofs future-dated when used (within {@code clock_skew}), and Graphene login
 * payloads; and the same across a new replay epoch in Redis. Ordinary credentials signed after the
 * restart are accepted as ever. Each case fails when the claims are not recorded.
 */
class RestartWindowTest {
  @TempDir
  Path dir;

  /** A client whose clock runs 10 s ahead of the server's, within the 30 s skew. */
  static final Clock AHEAD = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10));

  @Test
  void futureDatedTokensAndSignaturesUsedBeforeARestartAreRefusedAfterIt() throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    String uid;
    String sid;
    String token;
    Map<String, String> signed;
    // Signatures cover the origin: a fixed public origin, so the same headers stay valid across the restart.
    Map<String, String> env = Map.of("SIGNET_PUBLIC_ORIGIN", "https://api.example.com");
    URI me = URI.create("https://api.example.com/me");
    try (LocalServer before = new LocalServer(dir, env)) {
      uid = before.newUser("ahead");
      sid = before.newSession(uid, key.publicKey().toBase64Url());
      token = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), AHEAD).sign("GET", "/me", new byte[0]);
      assertThat(before.bearer("GET", "/me", null, token).status()).isEqualTo(200);
      signed = new HttpSignatureSigner(sid, key, AHEAD, new SecureRandom()).sign("GET", me, null);
      assertThat(before.call("GET", "/me", null, signed).status()).isEqualTo(200);
    }
    try (LocalServer after = new LocalServer(dir, env)) {
      assertThat(after.bearer("GET", "/me", null, token).description()).as("the token's iat is after this start").startsWith("replayed");
      assertThat(after.call("GET", "/me", null, signed).description()).as("the signature's created is after this start")
          .startsWith("replayed");
      assertThat(after.call("GET", "/me", null, new HttpSignatureSigner(sid, key, Clock.systemUTC(), new SecureRandom())
          .sign("GET", me, null)).status()).as("an ordinary signature").isEqualTo(200);
      MixinBotSigner now = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
      assertThat(after.bearer("GET", "/me", null, now.sign("GET", "/me", new byte[0])).status()).as("an ordinary token").isEqualTo(200);
      MixinBotSigner ahead = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), AHEAD);
      String fresh = ahead.sign("GET", "/me", new byte[0]);
      assertThat(after.bearer("GET", "/me", null, fresh).status()).as("a new future-dated token").isEqualTo(200);
      assertThat(after.bearer("GET", "/me", null, fresh).description()).startsWith("replayed");
    }
  }

  /**
   * Redis: what a failover loses (marks not yet replicated, and a new replication id, so a new
   * epoch) is made here by deleting the prefix's keys; the epoch key missing begins a new epoch, as
   * a promoted replica does.
   */
  @Test
  void futureDatedCredentialsUsedBeforeANewRedisEpochAreRefusedInIt() throws Exception {
    String prefix = "signet-window-" + java.util.UUID.randomUUID() + ":";
    Map<String, String> env = Map.of("SIGNET_PUBLIC_ORIGIN", "https://api.example.com", "SIGNET_REPLAY_TYPE", "redis",
        "SIGNET_REPLAY_URL", "redis://127.0.0.1:6379", "SIGNET_REPLAY_PREFIX", prefix);
    URI me = URI.create("https://api.example.com/me");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    try (LocalServer s = new LocalServer(dir, env)) {
      String uid = s.newUser("ahead");
      String sid = s.newSession(uid, key.publicKey().toBase64Url());
      String token = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), AHEAD).sign("GET", "/me", new byte[0]);
      assertThat(s.bearer("GET", "/me", null, token).status()).isEqualTo(200);
      Map<String, String> signed = new HttpSignatureSigner(sid, key, AHEAD, new SecureRandom()).sign("GET", me, null);
      assertThat(s.call("GET", "/me", null, signed).status()).isEqualTo(200);

      redis("EVAL", "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", "0", prefix + "*");
      assertThat(s.bearer("GET", "/me", null, token).description()).as("issued after the new epoch's start").startsWith("replayed");
      assertThat(s.call("GET", "/me", null, signed).description()).startsWith("replayed");
      Thread.sleep(1100); // past the second the new epoch began in
      MixinBotSigner now = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
      assertThat(s.bearer("GET", "/me", null, now.sign("GET", "/me", new byte[0])).status()).as("an ordinary token").isEqualTo(200);
      String fresh = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), AHEAD).sign("GET", "/me", new byte[0]);
      assertThat(s.bearer("GET", "/me", null, fresh).status()).as("a new future-dated token").isEqualTo(200);
      assertThat(s.bearer("GET", "/me", null, fresh).description()).startsWith("replayed");
    }
  }

  static void redis(String... command) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379"));
    cmd.addAll(java.util.List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void aFutureDatedDpopProofUsedBeforeARestartIsRefusedAfterIt() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      Map<String, String> env = Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login", "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST",
          "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url(), "SIGNET_PUBLIC_ORIGIN", "https://api.example.com");
      DpopSigner ahead = DpopSigner.ed25519(Fixtures.newEd25519(), AHEAD);
      String token;
      String proof;
      try (LocalServer before = new LocalServer(dir, env)) {
        token = DpopE2ETest.login(before, ahead.proof("POST", "https://api.example.com/getToken", null, null), "DPoP");
        proof = ahead.proof("GET", "https://api.example.com/me", token, null);
        assertThat(DpopE2ETest.dpop(before, "GET", "/me", token, proof).status()).isEqualTo(200);
      }
      try (LocalServer after = new LocalServer(dir, env)) {
        assertThat(DpopE2ETest.dpop(after, "GET", "/me", token, proof).description()).as("the proof's iat is after this start")
            .startsWith("replayed");
        assertThat(DpopE2ETest.dpop(after, "GET", "/me", token, ahead.proof("GET", "https://api.example.com/me", token, null)).status())
            .as("the same token with a new proof").isEqualTo(200);
      }
    }
  }

  @Test
  void aGrapheneLoginPayloadUsedBeforeARestartIsRefusedAfterIt() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      Map<String, String> env = Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
          "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url());
      try (LocalServer before = new LocalServer(dir, env)) {
        assertThat(before.call("POST", "/getToken", RpcNodeDouble.SEED_004_LOGIN, Map.of()).status()).isEqualTo(200);
      }
      try (LocalServer after = new LocalServer(dir, env)) {
        assertThat(after.call("POST", "/getToken", RpcNodeDouble.SEED_004_LOGIN, Map.of()).description())
            .as("within its block's validity, after the restart").startsWith("replayed");
      }
    }
  }
}
