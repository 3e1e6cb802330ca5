package dev.signet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's read side over real HTTP: listings in pages, a user with its sessions, deleting a user. */
class AdminReadE2ETest {
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;

  LocalServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LocalServer(dir, Map.of());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void usersAreListedInPagesAndFilteredByNamePrefix() throws Exception {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(server.newUser("team-" + i));
    }
    made.add(server.newUser("other"));
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = server.adminOk("GET", "/admin/users?name_prefix=team-&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null);
      assertThat(page.get("users").size()).isLessThanOrEqualTo(2);
      page.get("users").forEach(u -> seen.add(u.get("user_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(made.subList(0, 5)).isSorted();
    assertThat(server.adminOk("GET", "/admin/users", null).get("users")).hasSize(6);
    assertThat(server.adminOk("GET", "/admin/users?name_prefix=oth", null).get("users").get(0).get("name").asText()).isEqualTo("other");

    assertThat(server.admin("GET", "/admin/users?limit=0", null).description()).isEqualTo("limit must be 1-500");
    assertThat(server.admin("GET", "/admin/users?limit=501", null).status()).isEqualTo(400);
    assertThat(server.admin("GET", "/admin/users?cursor=nope!", null).description()).isEqualTo("cursor is not one this server gave for users");
    String auditCursor = server.adminOk("GET", "/admin/audit?limit=1", null).get("next_cursor").asText();
    assertThat(server.admin("GET", "/admin/users?cursor=" + auditCursor, null).status()).as("another listing's cursor").isEqualTo(400);
    assertThat(server.admin("GET", "/admin/users?limit=1&limit=2", null).description()).isEqualTo("limit is given more than once");
    assertThat(server.admin("GET", "/admin/audit?cursor=a&cursor=b", null).description()).isEqualTo("cursor is given more than once");
    assertThat(server.call("GET", "/admin/users", null, Map.of()).status()).isEqualTo(401);
  }

  @Test
  void aUserShowsItsSessionsWithLastUseAndDeletingItRevokesThemAtOnce() throws Exception {
    String uid = server.newUser("alice");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String used = server.newSession(uid, key.publicKey().toBase64Url());
    String idle = server.newSession(uid, Ed25519PrivateKey.generate(RANDOM).publicKey().toBase64Url());
    MixinBotSigner signer = new MixinBotSigner(uid, used, JwsSigner.eddsa(key), Clock.systemUTC());
    String token = signer.sign("GET", "/me", new byte[0]);
    assertThat(server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(200);

    JsonNode user = server.adminOk("GET", "/admin/users/" + uid, null);
    assertThat(user.get("name").asText()).isEqualTo("alice");
    assertThat(user.get("session_count").asInt()).isEqualTo(2);
    assertThat(user.get("has_pin").asBoolean()).isFalse();
    JsonNode sessions = user.get("sessions");
    assertThat(sessions.findValuesAsText("session_id")).containsExactlyInAnyOrder(used, idle);
    for (JsonNode s : sessions) {
      assertThat(s.get("algorithm").asText()).isEqualTo("EdDSA");
      assertThat(s.has("pin_key")).as("the server's PIN key never leaves it").isFalse();
      if (s.get("session_id").asText().equals(used)) {
        assertThat(s.get("last_used_at").asLong()).isCloseTo(Clock.systemUTC().instant().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        assertThat(s.get("public_key").asText()).isEqualTo(key.publicKey().toBase64Url());
      } else {
        assertThat(s.get("last_used_at").isNull()).isTrue();
      }
    }
    String app = UUID.randomUUID().toString();
    server.adminOk("POST", "/admin/oauth/authorizations", "{\"app_id\":\"" + app + "\",\"user_id\":\"" + uid + "\",\"public_key\":\""
        + Ed25519PrivateKey.generate(RANDOM).publicKey().toBase64Url() + "\",\"scopes\":[\"PROFILE:READ\"]}");

    JsonNode deleted = server.adminOk("DELETE", "/admin/users/" + uid, null);
    assertThat(deleted.get("sessions_deleted").asInt()).isEqualTo(2);
    assertThat(deleted.get("authorizations_deleted").asInt()).isEqualTo(1);
    String next = signer.sign("GET", "/me", new byte[0]);
    LocalServer.Reply refused = server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + next));
    assertThat(refused.status()).as("the cached key is dropped with the user").isEqualTo(401);
    assertThat(server.admin("GET", "/admin/users/" + uid, null).status()).isEqualTo(404);
    assertThat(server.admin("DELETE", "/admin/users/" + uid, null).status()).isEqualTo(404);
    assertThat(server.adminOk("GET", "/admin/oauth/authorizations?user_id=" + uid, null).get("authorizations")).isEmpty();
    assertThat(server.adminOk("GET", "/admin/audit?limit=1", null).get("entries").get(0).get("action").asText()).isEqualTo("user.delete");
    assertThat(server.admin("GET", "/admin/users/not-a-uuid", null).description()).isEqualTo("user id must be a UUID");
  }

  @Test
  void authorizationsFilterByUserAndAppAndServiceKeysAreListed() throws Exception {
    String u1 = server.newUser("a");
    String u2 = server.newUser("b");
    String app = UUID.randomUUID().toString();
    for (String[] pair : new String[][] {{u1, app}, {u2, app}, {u1, UUID.randomUUID().toString()}}) {
      server.adminOk("POST", "/admin/oauth/authorizations", "{\"app_id\":\"" + pair[1] + "\",\"user_id\":\"" + pair[0]
          + "\",\"public_key\":\"" + Ed25519PrivateKey.generate(RANDOM).publicKey().toBase64Url() + "\",\"scopes\":[\"PROFILE:READ\"]}");
    }
    assertThat(server.adminOk("GET", "/admin/oauth/authorizations", null).get("authorizations")).hasSize(3);
    assertThat(server.adminOk("GET", "/admin/oauth/authorizations?user_id=" + u1, null).get("authorizations")).hasSize(2);
    assertThat(server.adminOk("GET", "/admin/oauth/authorizations?app_id=" + app, null).get("authorizations")).hasSize(2);
    JsonNode one = server.adminOk("GET", "/admin/oauth/authorizations?app_id=" + app + "&user_id=" + u2, null).get("authorizations");
    assertThat(one).singleElement().satisfies(a -> assertThat(a.get("scopes").get(0).asText()).isEqualTo("PROFILE:READ"));
    JsonNode page = server.adminOk("GET", "/admin/oauth/authorizations?limit=2", null);
    assertThat(page.get("authorizations")).hasSize(2);
    assertThat(server.adminOk("GET", "/admin/oauth/authorizations?limit=2&cursor=" + page.get("next_cursor").asText(), null)
        .get("authorizations")).hasSize(1);
    assertThat(server.admin("GET", "/admin/oauth/authorizations?user_id=x", null).description()).isEqualTo("user_id must be a UUID");

    String pem = dev.signet.keys.RsaPrivateKey.generate(2048, RANDOM).publicKey().toX509Pem();
    for (String kid : List.of("k2", "k1")) {
      server.adminOk("POST", "/admin/service-keys", dev.signet.json.StrictJson.mapper().writeValueAsString(
          Map.of("issuer", "org", "kid", kid, "public_key", pem)));
    }
    JsonNode keys = server.adminOk("GET", "/admin/service-keys?limit=1", null);
    assertThat(keys.get("service_keys").get(0).get("kid").asText()).isEqualTo("k1");
    JsonNode rest = server.adminOk("GET", "/admin/service-keys?cursor=" + keys.get("next_cursor").asText(), null);
    assertThat(rest.get("service_keys").findValuesAsText("kid")).containsExactly("k2");
    assertThat(rest.get("service_keys").get(0).get("public_key").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(rest.get("next_cursor").isNull()).isTrue();
  }

  @Test
  void statsCountVerificationsForTheConsole() throws Exception {
    String uid = server.newUser("s");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String sid = server.newSession(uid, key.publicKey().toBase64Url());
    MixinBotSigner signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    String token = signer.sign("GET", "/me", new byte[0]);
    server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token));
    server.call("GET", "/me", null, Map.of("Authorization", "Bearer " + token));
    JsonNode stats = server.adminOk("GET", "/admin/stats", null);
    Map<String, Long> counts = new java.util.HashMap<>();
    stats.get("verifications").forEach(v -> counts.put(v.get("scheme").asText() + " " + v.get("outcome").asText(), v.get("count").asLong()));
    assertThat(counts).containsEntry("mixin-bot ok", 1L).containsEntry("mixin-bot replayed", 1L);
    assertThat(stats.at("/latency/p99_ms").asDouble()).isPositive();
    assertThat(stats.at("/replay/type").asText()).isEqualTo("memory");
    assertThat(stats.at("/replay/entries").asInt()).isEqualTo(1);
    assertThat(stats.at("/crypto/ed25519").asText()).isNotBlank();
  }
}
