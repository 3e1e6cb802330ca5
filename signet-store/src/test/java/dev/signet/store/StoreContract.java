package dev.signet.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testing.Race;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Store} must do, run against each real database. */
abstract class StoreContract {
  abstract Store store();

  String newUser() {
    String id = UUID.randomUUID().toString();
    assertThat(store().createUser(id, "n", 1)).isTrue();
    return id;
  }

  @Test
  void usersSessionsAndDuplicates() {
    String uid = newUser();
    assertThat(store().createUser(uid, "again", 2)).isFalse();
    assertThat(store().userExists(uid)).isTrue();
    String sid = UUID.randomUUID().toString();
    Records.Session s = new Records.Session(sid, uid, "EdDSA", "pk", Set.of("A", "B"), "ab".repeat(32), 3);
    assertThat(store().createSession(s)).isTrue();
    assertThat(store().createSession(s)).isFalse();
    assertThat(store().session(sid)).hasValueSatisfying(r -> {
      assertThat(r.userId()).isEqualTo(uid);
      assertThat(r.scopes()).containsExactlyInAnyOrder("A", "B");
    });
    assertThat(store().createSession(new Records.Session(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "EdDSA", "pk",
        null, "00", 3))).as("unknown user").isFalse();
    assertThat(store().deleteSession(sid)).isTrue();
    assertThat(store().deleteSession(sid)).isFalse();
    assertThat(store().session(sid)).isEmpty();
  }

  @Test
  void auditedChangesAreLoggedWithTheirChangeAndOnlyThen() {
    long top = Long.MAX_VALUE;
    int before = store().audit(top, 500).size();
    Store audited = store().audited(new Records.Actor("admin token 0123abcd", "192.0.2.7", 1_700_000_000L));
    String uid = UUID.randomUUID().toString();
    assertThat(audited.createUser(uid, "alice", 1)).isTrue();
    assertThat(audited.createUser(uid, "again", 1)).as("a duplicate changes nothing").isFalse();
    String sid = UUID.randomUUID().toString();
    assertThat(audited.createSession(new Records.Session(sid, uid, "EdDSA", "pk", null, "ab".repeat(32), 3))).isTrue();
    audited.setPinHash(uid, "$argon2id$secret-hash");
    assertThat(audited.deleteSession(sid)).isTrue();
    assertThat(audited.deleteSession(sid)).as("nothing to delete").isFalse();
    assertThat(audited.createServiceKey(new Records.ServiceKey("org", "audit-k", "pem", 1))).isTrue();
    assertThat(store().createUser(UUID.randomUUID().toString(), "unaudited", 1)).as("the store itself writes no entry").isTrue();

    var entries = store().audit(top, 500);
    assertThat(entries).hasSize(before + 5);
    var mine = entries.subList(0, 5);
    assertThat(mine).extracting(Records.AuditEntry::action)
        .containsExactly("service_key.create", "session.delete", "pin.set", "session.create", "user.create");
    assertThat(mine).extracting(Records.AuditEntry::target).containsExactly("org/audit-k", sid, uid, sid, uid);
    assertThat(mine).allSatisfy(e -> {
      assertThat(e.actor()).isEqualTo("admin token 0123abcd");
      assertThat(e.address()).isEqualTo("192.0.2.7");
      assertThat(e.at()).isEqualTo(1_700_000_000L);
    });
    assertThat(mine.get(3).detail()).isEqualTo("user=" + uid + " algorithm=EdDSA scopes=any");
    assertThat(mine.toString()).doesNotContain("secret-hash").doesNotContain("ab".repeat(32));
    // Newest first, by pages.
    var page = store().audit(mine.get(1).id(), 2);
    assertThat(page).extracting(Records.AuditEntry::action).containsExactly("pin.set", "session.create");
  }

  @Test
  void authorizationsAndServiceKeys() {
    String uid = newUser();
    String aid = UUID.randomUUID().toString();
    assertThat(store().createAuthorization(new Records.Authorization(aid, UUID.randomUUID().toString(), uid, "pk", Set.of("P"), 1))).isTrue();
    assertThat(store().authorization(aid)).hasValueSatisfying(a -> assertThat(a.scopes()).containsExactly("P"));
    assertThat(store().deleteAuthorization(aid)).isTrue();
    assertThat(store().createServiceKey(new Records.ServiceKey("org", "k1", "pem", 1))).isTrue();
    assertThat(store().createServiceKey(new Records.ServiceKey("org", "k1", "pem2", 1))).isFalse();
    assertThat(store().serviceKey("org", "k1")).hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo("pem"));
    assertThat(store().deleteServiceKey("org", "k1")).isTrue();
    assertThat(store().serviceKey("org", "k1")).isEmpty();
  }

  @Test
  void usersAreListedByPrefixInPagesWithTheirSessionCount() {
    String[] ids = {"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003", "00000000-0000-4000-8000-000000000004"};
    store().createUser(ids[0], "alice", 1);
    store().createUser(ids[1], "al_x", 1);
    store().createUser(ids[2], "bob", 1);
    store().createUser(ids[3], null, 1);
    store().createSession(new Records.Session(UUID.randomUUID().toString(), ids[0], "EdDSA", "pk", null, "00", 5));
    store().createSession(new Records.Session(UUID.randomUUID().toString(), ids[0], "EdDSA", "pk", null, "00", 6));

    assertThat(store().users(null, null, 10)).extracting(Records.User::userId).containsExactly(ids);
    assertThat(store().users(null, null, 2)).extracting(Records.User::userId).containsExactly(ids[0], ids[1]);
    assertThat(store().users(null, ids[1], 2)).extracting(Records.User::userId).containsExactly(ids[2], ids[3]);
    assertThat(store().users("al", null, 10)).extracting(Records.User::name).containsExactly("alice", "al_x");
    assertThat(store().users("al_", null, 10)).as("_ is a character, not a wildcard").extracting(Records.User::name).containsExactly("al_x");
    assertThat(store().users("%", null, 10)).isEmpty();
    assertThat(store().user(ids[0])).hasValueSatisfying(u -> assertThat(u.sessions()).isEqualTo(2));
    assertThat(store().user(ids[2])).hasValueSatisfying(u -> assertThat(u.sessions()).isZero());
    assertThat(store().user(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void deletingAUserDeletesAllItHoldsAtOnce() {
    String uid = newUser();
    String sid = UUID.randomUUID().toString();
    String aid = UUID.randomUUID().toString();
    store().createSession(new Records.Session(sid, uid, "EdDSA", "pk", null, "00", 5));
    store().createAuthorization(new Records.Authorization(aid, UUID.randomUUID().toString(), uid, "pk", Set.of("P"), 1));
    store().setPinHash(uid, "h");
    Store audited = store().audited(new Records.Actor("t", "192.0.2.1", 9));
    assertThat(audited.deleteUser(uid)).isTrue();
    assertThat(store().userExists(uid)).isFalse();
    assertThat(store().session(sid)).isEmpty();
    assertThat(store().authorization(aid)).isEmpty();
    assertThat(store().pinState(uid)).isEmpty();
    assertThat(audited.deleteUser(uid)).isFalse();
    assertThat(store().audit(Long.MAX_VALUE, 1)).extracting(Records.AuditEntry::action).containsExactly("user.delete");
  }

  @Test
  void sessionUseOnlyMovesForward() {
    String uid = newUser();
    String sid = UUID.randomUUID().toString();
    store().createSession(new Records.Session(sid, uid, "RS512", "pem", Set.of("A"), "00", 5));
    assertThat(store().sessions(uid)).singleElement().satisfies(s -> {
      assertThat(s.lastUsedAt()).isNull();
      assertThat(s.algorithm()).isEqualTo("RS512");
      assertThat(s.scopes()).containsExactly("A");
    });
    store().recordSessionUse(java.util.Map.of(sid, 100L, UUID.randomUUID().toString(), 100L));
    store().recordSessionUse(java.util.Map.of(sid, 90L));
    assertThat(store().sessions(uid)).singleElement().extracting(Records.SessionInfo::lastUsedAt).isEqualTo(100L);
    store().recordSessionUse(java.util.Map.of(sid, 160L));
    assertThat(store().sessions(uid)).singleElement().extracting(Records.SessionInfo::lastUsedAt).isEqualTo(160L);
  }

  @Test
  void authorizationsAndServiceKeysAreListedInPages() {
    String u1 = newUser();
    String u2 = newUser();
    String app = UUID.randomUUID().toString();
    String[] aids = {"10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002", "10000000-0000-4000-8000-000000000003"};
    store().createAuthorization(new Records.Authorization(aids[0], app, u1, "pk", Set.of("P"), 1));
    store().createAuthorization(new Records.Authorization(aids[1], UUID.randomUUID().toString(), u1, "pk", Set.of("P"), 1));
    store().createAuthorization(new Records.Authorization(aids[2], app, u2, "pk", Set.of("P"), 1));
    assertThat(store().authorizations(null, null, null, 10)).extracting(Records.Authorization::authorizationId).containsExactly(aids);
    assertThat(store().authorizations(u1, null, null, 10)).extracting(Records.Authorization::authorizationId).containsExactly(aids[0], aids[1]);
    assertThat(store().authorizations(null, app, null, 10)).extracting(Records.Authorization::authorizationId).containsExactly(aids[0], aids[2]);
    assertThat(store().authorizations(u1, app, null, 10)).extracting(Records.Authorization::authorizationId).containsExactly(aids[0]);
    assertThat(store().authorizations(null, null, aids[0], 1)).extracting(Records.Authorization::authorizationId).containsExactly(aids[1]);

    store().createServiceKey(new Records.ServiceKey("b-org", "k1", "pem", 1));
    store().createServiceKey(new Records.ServiceKey("a-org", "k2", "pem", 1));
    store().createServiceKey(new Records.ServiceKey("a-org", "k1", "pem", 1));
    assertThat(store().serviceKeys(null, null, 10)).extracting(k -> k.issuer() + "/" + k.kid()).containsExactly("a-org/k1", "a-org/k2", "b-org/k1");
    assertThat(store().serviceKeys("a-org", "k1", 10)).extracting(k -> k.issuer() + "/" + k.kid()).containsExactly("a-org/k2", "b-org/k1");
    assertThat(store().serviceKeys("a-org", "k2", 1)).extracting(k -> k.issuer() + "/" + k.kid()).containsExactly("b-org/k1");
  }

  @Test
  void pinIteratorsAreUnsignedAndAdvanceAtomically() throws Exception {
    String uid = newUser();
    store().setPinHash(uid, "h1");
    assertThat(store().advancePinIterator(uid, 5)).isTrue();
    assertThat(store().advancePinIterator(uid, 5)).isFalse();
    assertThat(store().advancePinIterator(uid, 4)).isFalse();
    assertThat(store().advancePinIterator(uid, Long.MIN_VALUE)).as("2^63, above every signed long").isTrue();
    assertThat(store().advancePinIterator(uid, -1L)).as("2^64-1").isTrue();
    assertThat(store().pinState(uid)).hasValueSatisfying(p -> assertThat(p.lastIterator()).isEqualTo(-1L));

    String racer = newUser();
    store().setPinHash(racer, "h");
    for (long it = 1; it <= 30; it++) {
      long iterator = it;
      assertThat(Race.winners(8, i -> store().advancePinIterator(racer, iterator))).as("winners for iterator " + it).isEqualTo(1);
    }
  }

  @Test
  void pinFailuresLockAndResetClears() {
    String uid = newUser();
    store().setPinHash(uid, "h");
    for (int i = 0; i < 2; i++) {
      store().recordPinFailure(uid, 3, 1000);
    }
    assertThat(store().pinState(uid)).hasValueSatisfying(p -> {
      assertThat(p.failures()).isEqualTo(2);
      assertThat(p.lockedUntil()).isZero();
    });
    store().recordPinFailure(uid, 3, 1000);
    assertThat(store().pinState(uid)).hasValueSatisfying(p -> assertThat(p.lockedUntil()).isEqualTo(1000));
    store().resetPinFailures(uid);
    assertThat(store().pinState(uid)).hasValueSatisfying(p -> assertThat(p.failures()).isZero());
    store().setPinHash(uid, "h2");
    assertThat(store().pinState(uid)).hasValueSatisfying(p -> assertThat(p.hash()).isEqualTo("h2"));
    assertThat(store().healthy()).isTrue();
  }

  @Test
  void sharedSecretsAreWrittenOnceAndRaceToOneWinner() throws Exception {
    String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(store().secret(name)).isEmpty();
    assertThat(Race.winners(6, i -> store().createSecret(name, "value-" + i, 1))).isEqualTo(1);
    String kept = store().secret(name).orElseThrow();
    assertThat(kept).startsWith("value-");
    assertThat(store().createSecret(name, "other", 2)).isFalse();
    assertThat(store().secret(name)).contains(kept);
  }
}
