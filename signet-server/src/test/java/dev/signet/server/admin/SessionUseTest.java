package dev.signet.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.JdbcStore;
import dev.signet.store.Records;
import dev.signet.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session use: kept in memory on the request path, written by flush, never moved back. */
class SessionUseTest {
  @TempDir
  Path dir;

  @Test
  void usesAreWrittenOnFlushOnlyAndKeepTheLatest() {
    try (JdbcStore store = JdbcStore.embedded(dir)) {
      String uid = UUID.randomUUID().toString();
      String sid = UUID.randomUUID().toString();
      store.createUser(uid, "u", 1);
      store.createSession(new Records.Session(sid, uid, "EdDSA", "pk", null, "00", 1));
      MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
      SessionUse use = new SessionUse(store, clock);
      use.used(sid);
      use.used(sid);
      assertThat(store.sessions(uid).get(0).lastUsedAt()).as("nothing written before a flush").isNull();
      assertThat(use.pending()).containsEntry(sid, 1000L);
      use.flush();
      assertThat(store.sessions(uid).get(0).lastUsedAt()).isEqualTo(1000L);
      assertThat(use.pending()).isEmpty();
      clock.set(Instant.ofEpochSecond(1065));
      use.used(sid);
      assertThat(use.pending()).containsEntry(sid, 1065L);
      use.flush();
      assertThat(store.sessions(uid).get(0).lastUsedAt()).isEqualTo(1065L);
    }
  }
}
