package dev.signet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.keys.Ed25519Provider;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.http.ApiError;
import dev.signet.server.http.Replies;
import dev.signet.server.pin.StorePinAttempts;
import dev.signet.store.JdbcStore;
import dev.signet.store.Records;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.VerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The admin API's JSON bodies, through the same parsing and operations as {@code signet serve}, on a
 * real embedded store: an answer or a 4xx {@link ApiError}; never another exception, which the
 * server would answer 500 or 503.
 */
class AdminBodyFuzzTest {
  private static final String USER = "89e0bdee-c355-47f2-945a-be48be875606";
  private static final Records.Actor ACTOR = new Records.Actor("fuzz", "127.0.0.1", 0);
  private static final AdminApi ADMIN = admin();

  private static AdminApi admin() {
    JdbcStore store;
    try {
      store = JdbcStore.embedded(Files.createTempDirectory("signet-admin-fuzz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Clock clock = Clock.systemUTC();
    AdminApi admin = new AdminApi(store, new StoreKeyResolver(store, clock, Duration.ofSeconds(5), Ed25519Provider.java()),
        clock, new SecureRandom(), new StorePinAttempts(store, clock, new ServerConfig.Pin(5, 900)));
    admin.createUser(ACTOR, Replies.jsonBody(("{\"user_id\":\"" + USER + "\"}").getBytes()));
    return admin;
  }

  /** The first byte picks the operation; the rest is its body. */
  @FuzzTest
  void adminBodies(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    try {
      Map<String, Object> answer = switch (input[0] & 7) {
        case 0 -> ADMIN.createUser(ACTOR, Replies.jsonBody(body));
        case 1 -> ADMIN.createSession(ACTOR, USER, Replies.jsonBody(body));
        case 2 -> ADMIN.setPin(ACTOR, USER, Replies.jsonBody(body));
        case 3 -> ADMIN.createAuthorization(ACTOR, Replies.jsonBody(body));
        case 4 -> ADMIN.createServiceKey(ACTOR, Replies.jsonBody(body));
        case 5 -> ADMIN.audit(new String(body, java.nio.charset.StandardCharsets.UTF_8), null);
        case 6 -> ADMIN.audit(null, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        default -> ADMIN.createSession(ACTOR, new String(body, java.nio.charset.StandardCharsets.UTF_8),
            Replies.jsonBody("{}".getBytes()));
      };
      assertThat(answer).isNotNull();
    } catch (ApiError refused) {
      assertThat(refused.status()).isBetween(400, 499);
      assertThat(refused.getMessage()).isNotBlank();
    } catch (VerificationException refused) {
      assertThat(refused.failure().httpStatus()).isBetween(400, 499);
    }
  }
}
