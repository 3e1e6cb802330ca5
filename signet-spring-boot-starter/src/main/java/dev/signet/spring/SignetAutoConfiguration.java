package dev.signet.spring;

import dev.signet.keys.Ed25519Provider;
import dev.signet.limits.InMemoryRateLimiter;
import dev.signet.limits.RateLimitPolicy;
import dev.signet.limits.RateLimitRule;
import dev.signet.limits.RateLimitRules;
import dev.signet.limits.RateLimiter;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.replay.ReplayStore;
import dev.signet.servlet.ServletVerifier;
import dev.signet.verify.AccessTokenVerifier;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.KeyRegistry;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.VerifierPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Signet verifier from {@code signet.*}: keys (from configuration, {@code signet serve}'s store
 * over JDBC, or a {@code KeyResolver} bean of the application's own; service issuers' JWKS in front
 * of any of them), the replay store (memory or Redis), the policy, and the {@link ServletVerifier} that {@link SignetConfigurer} uses. Every bean
 * backs off when the application declares its own.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SignetProperties.class)
public class SignetAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(SignetAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  public Clock signetClock() {
    return Clock.systemUTC();
  }

  /**
   * {@code signet.crypto.ed25519}: libsodium where it loads ({@code auto}, with one warning where it
   * does not); {@code native} that cannot load stops the start.
   */
  @Bean
  @ConditionalOnMissingBean
  public Ed25519Provider signetEd25519Provider(SignetProperties props) {
    Ed25519Provider.Choice choice;
    try {
      choice = Ed25519Provider.Choice.parse(props.crypto().ed25519());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("signet." + e.getMessage());
    }
    Ed25519Provider.Selection selected;
    try {
      selected = Ed25519Provider.select(choice);
    } catch (Ed25519Provider.UnavailableException e) {
      throw new IllegalStateException("signet.crypto.ed25519 is native, but " + e.getMessage());
    }
    if (selected.fellBack()) {
      LOG.warn("Signet: Ed25519 with BouncyCastle (Java): {} (signet.crypto.ed25519=java chooses it and silences this)",
          selected.fallbackReason());
    } else {
      LOG.info("Signet: Ed25519 by {}", selected.provider().description());
    }
    return selected.provider();
  }

  @Bean
  @ConditionalOnMissingBean
  public KeyResolver signetKeyResolver(SignetProperties props, Clock clock, Ed25519Provider ed25519,
      ObjectProvider<javax.sql.DataSource> dataSource) {
    switch (props.keysSource()) {
      case "config" -> {
        KeyRegistry keys = ConfiguredKeys.load(props, ed25519);
        LOG.info("Signet: {} keys from configuration", keys.size());
        return keys;
      }
      case "jdbc" -> {
        javax.sql.DataSource ds = dataSource.getIfAvailable();
        if (ds == null) {
          throw new IllegalStateException("signet.keys-source=jdbc needs a DataSource (spring.datasource.url, ...)");
        }
        return StoreKeys.over(ds, clock, props.keysCache(), ed25519);
      }
      default -> throw new IllegalStateException("signet.keys-source must be config or jdbc, got '" + props.keysSource() + "'");
    }
  }

  /** {@code signet.service-issuers}; closed with the context (Spring calls its {@code close}). */
  @Bean
  @ConditionalOnMissingBean
  public ServiceIssuerKeys signetServiceIssuerKeys(SignetProperties props, Clock clock, Ed25519Provider ed25519) {
    if (!props.serviceIssuers().isEmpty() && (props.audience() == null || props.audience().isBlank())) {
      throw new IllegalStateException("signet.service-issuers needs signet.audience: service tokens are refused without it");
    }
    return ServiceIssuerKeys.create(props.serviceIssuers(), clock, ed25519);
  }

  /** A Redis store is closed with the context (Spring calls its {@code close}). */
  @Bean
  @ConditionalOnMissingBean
  public ReplayStore signetReplayStore(SignetProperties props, Clock clock) {
    SignetProperties.Replay r = props.replay();
    return switch (r.type()) {
      case "memory" -> new InMemoryReplayStore(clock, r.capacity());
      case "redis" -> {
        if (r.url() == null || r.url().isBlank()) {
          throw new IllegalStateException("signet.replay.type=redis needs signet.replay.url");
        }
        yield new LettuceReplayStore(r.url(), r.prefix(), clock);
      }
      case "redis-cluster" -> {
        if (r.nodes() == null || r.nodes().isEmpty() || !r.nodes().stream().allMatch(n -> n.matches("[^\\s:/]+:[0-9]{1,5}"))) {
          throw new IllegalStateException("signet.replay.type=redis-cluster needs signet.replay.nodes, host:port entries");
        }
        yield LettuceReplayStore.cluster(r.nodes(), r.prefix(), clock);
      }
      default -> throw new IllegalStateException("signet.replay.type must be memory, redis or redis-cluster, got '" + r.type() + "'");
    };
  }

  @Bean
  @ConditionalOnMissingBean
  public VerifierPolicy signetVerifierPolicy(SignetProperties props) {
    return VerifierPolicy.defaults()
        .withAcceptanceWindow(props.acceptanceWindow())
        .withClockSkew(props.clockSkew())
        .withMaxLifetime(props.maxLifetime())
        .withAudience(props.audience() == null || props.audience().isBlank() ? null : props.audience())
        .withReuse(dev.signet.verify.Scheme.SERVICE, serviceReuse(props.serviceReuse()));
  }

  private static dev.signet.verify.Reuse serviceReuse(String value) {
    try {
      return dev.signet.verify.Reuse.parse(value.strip().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("signet.service-reuse must be once or until-expiry, got '" + value + "'");
    }
  }

  @Bean
  @ConditionalOnMissingBean
  public BearerAuthenticator signetAuthenticator(KeyResolver keys, ServiceIssuerKeys issuerKeys, ReplayStore replay,
      Clock clock, VerifierPolicy policy, ObjectProvider<AccessTokenVerifier> accessTokens) {
    // With the replay store in memory, tokens issued before this start are refused (restart safety).
    return new BearerAuthenticator(issuerKeys.over(keys), replay, clock, policy.restartSafe(replay, clock), accessTokens.getIfAvailable());
  }

  /** {@code signet.rate-limits}, checked at start: a bad policy stops the application naming it. */
  @Bean
  @ConditionalOnMissingBean
  public RateLimitRules signetRateLimitRules(SignetProperties props) {
    List<RateLimitRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < props.rateLimits().size(); i++) {
      SignetProperties.RateLimit r = props.rateLimits().get(i);
      String at = "signet.rate-limits[" + i + "]";
      if (r.rate() == null) {
        throw new IllegalStateException(at + ".rate must be set");
      }
      try {
        rules.add(new RateLimitRule(RateLimitPolicy.configured(r.name(), r.key(), r.rate(), r.perSeconds(), r.burst()), r.routes()));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(at + ": " + e.getMessage());
      }
      if (!names.add(r.name())) {
        throw new IllegalStateException(at + ": policy " + r.name() + " is listed twice");
      }
      if (!r.routes().stream().allMatch(x -> x.startsWith("/"))) {
        throw new IllegalStateException(at + ".routes are path prefixes starting with /");
      }
    }
    return new RateLimitRules(rules);
  }

  /**
   * Where rate limits are counted: the Redis replay store when there is one (shared by every
   * instance and by {@code signet serve}), else this instance's memory (at most 1M keys).
   */
  @Bean
  @ConditionalOnMissingBean
  public RateLimiter signetRateLimiter(ReplayStore replay, Clock clock) {
    return replay instanceof LettuceReplayStore redis ? redis.rateLimiter() : new InMemoryRateLimiter(clock, 1_000_000);
  }

  @Bean
  @ConditionalOnMissingBean
  public ServletVerifier signetServletVerifier(BearerAuthenticator authenticator, SignetProperties props,
      ObjectProvider<ServletVerifier.Outcomes> outcomes, RateLimitRules rateLimits, RateLimiter rateLimiter) {
    long limit = props.bodyLimit().toBytes();
    if (limit < 0 || limit > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("signet.body-limit must be between 0 and 2GB");
    }
    return new ServletVerifier(authenticator, (int) limit, outcomes.getIfAvailable(() -> ServletVerifier.Outcomes.NONE), rateLimits,
        rateLimiter);
  }
}
