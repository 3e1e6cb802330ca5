package dev.signet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class SignetAutoConfigurationTest {
  final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SignetAutoConfiguration.class));

  @Test
  void keysFromAFileBindLikeProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yml");
    Files.writeString(file, """
        keys:
          - scheme: mixin-bot
            user: %s
            session: %s
            public-key: %s
            algorithm: EdDSA
            scopes: [ASSETS:READ]
          - scheme: service
            issuer: billing
            kid: k1
            public-key: |
        %s
        """.formatted(TestKeys.UID, TestKeys.SID, TestKeys.KEY.publicKey().toBase64Url(),
        dev.signet.testing.Fixtures.RSA.publicKey().toX509Pem().indent(6).stripTrailing()));
    runner.withPropertyValues("signet.keys-file=" + file).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      KeyResolver keys = ctx.getBean(KeyResolver.class);
      assertThat(keys.resolve(new KeyRef(Scheme.MIXIN_BOT, TestKeys.UID, TestKeys.SID)).orElseThrow().grantedScopes())
          .containsExactly("ASSETS:READ");
      assertThat(keys.resolve(new KeyRef(Scheme.SERVICE, "billing", "k1"))).isPresent();
      assertThat(ctx.getBean(ReplayStore.class)).isInstanceOf(InMemoryReplayStore.class);
    });
  }

  @Test
  void aBadKeyEntryStopsTheStartAndIsNamed() {
    runner.withPropertyValues("signet.keys[0].scheme=mixin-bot", "signet.keys[0].user=" + TestKeys.UID,
        "signet.keys[0].session=not-a-uuid", "signet.keys[0].public-key=" + TestKeys.KEY.publicKey().toBase64Url())
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.keys[0]: session id must be a UUID"));
    runner.withPropertyValues("signet.keys[0].scheme=mixin-bot", "signet.keys[0].user=" + TestKeys.UID,
        "signet.keys[0].session=" + TestKeys.SID, "signet.keys[0].public-key=AAAA", "signet.keys[0].algorithm=HS256")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.keys[0]: algorithm for mixin-bot"));
    runner.withPropertyValues("signet.replay.type=disk")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.replay.type must be memory, redis or redis-cluster"));
  }

  /** signet.crypto.ed25519 picks who verifies the configured keys; a bad value stops the start. */
  @Test
  void theEd25519ProviderIsChosenByProperty() {
    String[] key = {"signet.keys[0].scheme=mixin-bot", "signet.keys[0].user=" + TestKeys.UID,
        "signet.keys[0].session=" + TestKeys.SID, "signet.keys[0].public-key=" + TestKeys.KEY.publicKey().toBase64Url()};
    KeyRef ref = new KeyRef(Scheme.MIXIN_BOT, TestKeys.UID, TestKeys.SID);
    runner.withPropertyValues(key).run(ctx -> {
      assertThat(ctx.getBean(Ed25519Provider.class).id()).isEqualTo("libsodium");
      Object k = ctx.getBean(KeyResolver.class).resolve(ref).orElseThrow().key().publicKey();
      assertThat(((Ed25519PublicKey) k).provider().id()).isEqualTo("libsodium");
    });
    runner.withPropertyValues(key).withPropertyValues("signet.crypto.ed25519=java").run(ctx -> {
      assertThat(ctx.getBean(Ed25519Provider.class).id()).isEqualTo("bouncycastle");
      Object k = ctx.getBean(KeyResolver.class).resolve(ref).orElseThrow().key().publicKey();
      assertThat(((Ed25519PublicKey) k).provider().id()).isEqualTo("bouncycastle");
    });
    runner.withPropertyValues("signet.crypto.ed25519=fastest")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.crypto.ed25519 must be auto, native or java"));
  }

  @Test
  void serviceTokensMayBeMadeReusableByProperty() {
    runner.run(ctx -> assertThat(ctx.getBean(dev.signet.verify.VerifierPolicy.class).reuse(dev.signet.verify.Scheme.SERVICE))
        .isEqualTo(dev.signet.verify.Reuse.ONCE));
    runner.withPropertyValues("signet.service-reuse=until-expiry").run(ctx -> assertThat(
        ctx.getBean(dev.signet.verify.VerifierPolicy.class).reuse(dev.signet.verify.Scheme.SERVICE)).isEqualTo(dev.signet.verify.Reuse.UNTIL_EXPIRY));
    runner.withPropertyValues("signet.service-reuse=twice")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.service-reuse must be once or until-expiry"));
  }

  @Test
  void anApplicationsOwnKeyResolverWins() {
    KeyResolver own = ref -> Optional.empty();
    runner.withBean(KeyResolver.class, () -> own).run(ctx -> assertThat(ctx.getBean(KeyResolver.class)).isSameAs(own));
  }

  /** Real Redis on loopback: two applications sharing it accept a token once between them. */
  @Test
  void aRedisReplayStoreIsSharedByEveryInstance() {
    String prefix = "signet-test:" + java.util.UUID.randomUUID() + ":";
    WebApplicationContextRunner app = runner.withPropertyValues("signet.replay.type=redis",
        "signet.replay.url=redis://127.0.0.1:6379", "signet.replay.prefix=" + prefix,
        "signet.keys[0].scheme=mixin-bot", "signet.keys[0].user=" + TestKeys.UID, "signet.keys[0].session=" + TestKeys.SID,
        "signet.keys[0].public-key=" + TestKeys.KEY.publicKey().toBase64Url());
    app.run(a -> app.run(b -> {
      // Signed after the first instance began the prefix's replay epoch, and in a later second.
      Thread.sleep(1100);
      String auth = "Bearer " + TestKeys.token("GET", "/x", null, "FULL");
      assertThat(a.getBean(ReplayStore.class)).isInstanceOf(LettuceReplayStore.class);
      assertThat(a.getBean(BearerAuthenticator.class).authenticate("GET", "/x", null, auth).userId()).isEqualTo(TestKeys.UID);
      try {
        b.getBean(BearerAuthenticator.class).authenticate("GET", "/x", null, auth);
        throw new AssertionError("the second instance accepted a replay");
      } catch (VerificationException e) {
        assertThat(e.failure()).isEqualTo(Failure.REPLAYED);
      }
    }));
  }

  @Test
  void aBadRateLimitStopsTheStartAndIsNamed() {
    runner.withPropertyValues("signet.rate-limits[0].name=p", "signet.rate-limits[0].key=user", "signet.rate-limits[0].rate=0")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("signet.rate-limits[0]: policy p: rate and burst must be positive"));
    runner.withPropertyValues("signet.rate-limits[0].name=p", "signet.rate-limits[0].key=tenant", "signet.rate-limits[0].rate=5")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.rate-limits[0]: unknown key 'tenant'"));
    runner.withPropertyValues("signet.rate-limits[0].name=p", "signet.rate-limits[0].key=user")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("signet.rate-limits[0].rate must be set"));
    runner.withPropertyValues("signet.rate-limits[0].name=p", "signet.rate-limits[0].key=user", "signet.rate-limits[0].rate=5")
        .run(ctx -> assertThat(ctx.getBean(dev.signet.limits.RateLimiter.class)).isInstanceOf(dev.signet.limits.InMemoryRateLimiter.class));
  }

  @Test
  void redisThatCannotBeReachedStopsTheStart() {
    runner.withPropertyValues("signet.replay.type=redis", "signet.replay.url=redis://127.0.0.1:1")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("Connection refused"));
  }
}
