package dev.signet.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsKey;
import dev.signet.jwt.ParsedJws;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.store.JdbcStore;
import dev.signet.testing.MutableClock;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import java.nio.file.Path;
import dev.signet.keys.Ed25519Provider;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeysTest {
  static final Duration DAY = Duration.ofDays(1);

  @TempDir
  Path dir;
  JdbcStore store;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

  @BeforeEach
  void open() {
    store = JdbcStore.embedded(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static List<Object> kids(IdentityKeys k) {
    return k.published().stream().map(j -> j.get("kid")).toList();
  }

  @Test
  void aKeyIsPublishedOnePeriodBeforeItSignsAndStaysPublishedOnePeriodAfter() {
    IdentityKeys keys = new IdentityKeys(store, clock, DAY, new SecureRandom(), Ed25519Provider.java());
    String today = keys.signing().kid();
    List<Object> first = kids(keys);
    assertThat(first).hasSize(2).startsWith(today);
    Object tomorrow = first.get(1);

    clock.advance(DAY);
    assertThat(keys.stale()).isTrue();
    assertThat(keys.signing().kid()).as("until refreshed, the last key signs on (still published)").isEqualTo(today);
    keys.refresh();
    assertThat(keys.stale()).isFalse();
    assertThat(keys.signing().kid()).as("the key published yesterday signs today").isEqualTo(tomorrow);
    assertThat(kids(keys)).hasSize(3).startsWith(today, tomorrow);

    clock.advance(DAY);
    keys.refresh();
    assertThat(kids(keys)).doesNotContain(today).contains(tomorrow);
  }

  @Test
  void nodesSharingAStoreShareTheKeys() {
    IdentityKeys a = new IdentityKeys(store, clock, DAY, new SecureRandom(), Ed25519Provider.java());
    IdentityKeys b = new IdentityKeys(store, clock, DAY, new SecureRandom(), Ed25519Provider.java());
    assertThat(kids(b)).isEqualTo(kids(a));
    assertThat(b.signing().kid()).isEqualTo(a.signing().kid());
  }

  @Test
  void tokensCarryTheClaimsAndVerifyWithThePublishedKey() throws Exception {
    IdentityKeys keys = new IdentityKeys(store, clock, DAY, new SecureRandom(), Ed25519Provider.java());
    IdentityTokens tokens = new IdentityTokens(keys, "https://signet.example", Duration.ofSeconds(60), clock);
    Principal p = new Principal(Scheme.MIXIN_BOT, "89e0bdee-c355-47f2-945a-be48be875606", "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e",
        null, Set.of("B", "A"), clock.instant().plusSeconds(300), "jti-1", Map.of());
    ParsedJws jws = CompactJws.parse(tokens.issue(p, "http://upstream:9000"), 8192);
    Map<String, Object> jwk = keys.published().stream().filter(j -> j.get("kid").equals(jws.header().keyId())).findFirst().orElseThrow();
    jws.verify(JwsKey.eddsa(Ed25519PublicKey.parse((String) jwk.get("x"))));
    Map<String, Object> c = jws.unverifiedClaims().toMap();
    assertThat(c).containsEntry("iss", "https://signet.example").containsEntry("aud", "http://upstream:9000")
        .containsEntry("sub", p.userId()).containsEntry("sid", p.sessionId()).containsEntry("scheme", "mixin-bot")
        .containsEntry("scp", "A B");
    assertThat(((Number) c.get("exp")).longValue() - ((Number) c.get("iat")).longValue()).isEqualTo(60);
  }

  @Test
  void aTokenIsReusedForTheSameIdentityWhileMoreThanHalfItsLifeIsLeft() {
    IdentityTokens tokens = new IdentityTokens(new IdentityKeys(store, clock, DAY, new SecureRandom(), Ed25519Provider.java()), "signet",
        Duration.ofSeconds(60), clock);
    Principal p = new Principal(Scheme.MIXIN_BOT, "89e0bdee-c355-47f2-945a-be48be875606", null, null, Set.of("A"),
        clock.instant().plusSeconds(300), "j", Map.of());
    String first = tokens.issue(p, "up");
    clock.advance(Duration.ofSeconds(29));
    assertThat(tokens.issue(p, "up")).isEqualTo(first);
    assertThat(tokens.issue(p, "other-upstream")).isNotEqualTo(first);
    Principal narrower = new Principal(Scheme.MIXIN_BOT, p.userId(), null, null, Set.of(), p.expiresAt(), "k", Map.of());
    assertThat(tokens.issue(narrower, "up")).isNotEqualTo(first);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.issue(p, "up")).as("half the lifetime gone: a new token").isNotEqualTo(first);
  }
}
