package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /pin/verify over real HTTP. */
class PinE2ETest {
  static final String ADMIN = LocalServer.ADMIN;
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  LocalServer server;
  String uid;
  Ed25519PrivateKey session = Ed25519PrivateKey.generate(RANDOM);
  X25519PublicKey pinToken;
  MixinBotSigner signer;

  LocalServer startServer() throws InterruptedException {
    return new LocalServer(dir, Map.of("SIGNET_PIN_LOCK_SECONDS", "600"));
  }

  @BeforeEach
  void setUp() throws Exception {
    server = startServer();
    uid = send("POST", "/admin/users", "{}", ADMIN).at("/data/user_id").asText();
    JsonNode s = send("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + session.publicKey().toBase64Url() + "\"}", ADMIN);
    pinToken = X25519PublicKey.parse(s.at("/data/pin_token").asText());
    signer = new MixinBotSigner(uid, s.at("/data/session_id").asText(), JwsSigner.eddsa(session), Clock.systemUTC());
    assertThat(send("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}", ADMIN).at("/data/updated").asBoolean()).isTrue();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  JsonNode send(String method, String target, String body, String bearer) throws Exception {
    return server.bearer(method, target, body, bearer).json();
  }

  String encrypt(String pin, long iterator, long time) {
    return PinCipher.encrypt(pin.getBytes(StandardCharsets.US_ASCII), time, iterator, session, pinToken, RANDOM);
  }

  /** The outcome of one /pin/verify: "valid" or the error description's check name. */
  String verify(String encrypted) throws Exception {
    String body = "{\"pin\":\"" + encrypted + "\"}";
    JsonNode r = send("POST", "/pin/verify", body, signer.sign("POST", "/pin/verify", body.getBytes(StandardCharsets.UTF_8)));
    return r.has("data") ? (r.at("/data/valid").asBoolean() ? "valid" : "invalid") : r.at("/error/description").asText().split(":")[0];
  }

  long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void aRightPinPassesOncePerIterator() throws Exception {
    String block = encrypt("123456", 10, now());
    assertThat(verify(block)).isEqualTo("valid");
    assertThat(verify(block)).isEqualTo("pin_iterator");
    assertThat(verify(encrypt("123456", 9, now()))).isEqualTo("pin_iterator");
    assertThat(verify(encrypt("123456", 11, now() - 3600))).isEqualTo("pin_stale");
    // The stale block did not consume iterator 11.
    assertThat(verify(encrypt("123456", 11, now()))).isEqualTo("valid");
    assertThat(verify(encrypt("123456", -1L, now()))).as("iterators are unsigned: 2^64-1 is the largest").isEqualTo("valid");
    assertThat(verify("not-a-pin-block")).isEqualTo("pin_malformed");
  }

  @Test
  void fiveWrongPinsLockTheUser() throws Exception {
    long it = 100;
    for (int i = 0; i < 4; i++) {
      assertThat(verify(encrypt("000000", it++, now()))).isEqualTo("pin_wrong");
    }
    assertThat(verify(encrypt("123456", it++, now()))).as("a right PIN clears the count").isEqualTo("valid");
    for (int i = 0; i < 5; i++) {
      assertThat(verify(encrypt("000000", it++, now()))).isEqualTo("pin_wrong");
    }
    assertThat(verify(encrypt("123456", it++, now()))).isEqualTo("pin_locked");
  }

  @Test
  void concurrentBlocksWithOneIteratorSucceedExactlyOnce() throws Exception {
    String block = encrypt("123456", 500, now());
    List<CompletableFuture<String>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(CompletableFuture.supplyAsync(() -> {
        try {
          return verify(block);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<String> outcomes = racing.stream().map(CompletableFuture::join).toList();
    assertThat(outcomes).filteredOn("valid"::equals).hasSize(1);
    assertThat(outcomes).filteredOn("pin_iterator"::equals).hasSize(7);
  }

  @Test
  void theIteratorSurvivesARestart() throws Exception {
    assertThat(verify(encrypt("123456", 1000, now()))).isEqualTo("valid");
    server.close();
    server = startServer();
    assertThat(verify(encrypt("123456", 1000, now()))).isEqualTo("pin_iterator");
    assertThat(verify(encrypt("123456", 1001, now()))).isEqualTo("valid");
  }
}
