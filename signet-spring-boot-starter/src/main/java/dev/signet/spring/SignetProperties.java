package dev.signet.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code signet.*}: where keys come from, the replay store, and how strict verification is.
 *
 * @param keys registered keys listed in configuration
 * @param keysFile a YAML file with a top-level {@code keys:} list of the same entries (added to {@code keys})
 * @param keysSource {@code config} (the lists above) or {@code jdbc}: the keys a {@code signet serve}
 *     deployment keeps, read through the application's {@code DataSource} (signet-store on the classpath)
 * @param keysCache with {@code jdbc}, how long a key read is trusted: the bound on a revocation arriving
 * @param acceptanceWindow how long after {@code iat} a token is accepted (and its id remembered)
 * @param clockSkew how far in the future {@code iat} may be
 * @param audience the {@code aud} service tokens must carry; without it service tokens are refused
 * @param serviceIssuers issuers of service tokens whose keys come from their JWKS (besides listed keys)
 * @param maxLifetime the longest {@code exp - iat} of a service token
 * @param serviceReuse {@code once} (default) or {@code until-expiry}: a service token accepted any number
 *     of times until its {@code exp}, which makes it a bearer token (see {@code Reuse})
 * @param bodyLimit larger request bodies are refused (413) before verification
 * @param crypto who computes Ed25519
 * @param rateLimits rate limits on verified requests, counted after the token is claimed (as
 *     {@code signet serve}'s {@code rate_limits}): in memory, or in Redis with {@code signet.replay.type=redis}
 */
@ConfigurationProperties("signet")
public record SignetProperties(
    List<KeyEntry> keys,
    String keysFile,
    @DefaultValue("config") String keysSource,
    @DefaultValue("5s") Duration keysCache,
    @DefaultValue Replay replay,
    @DefaultValue("5m") Duration acceptanceWindow,
    @DefaultValue("30s") Duration clockSkew,
    String audience,
    List<ServiceIssuer> serviceIssuers,
    @DefaultValue("1h") Duration maxLifetime,
    @DefaultValue("once") String serviceReuse,
    @DefaultValue("1MB") DataSize bodyLimit,
    @DefaultValue Crypto crypto,
    List<RateLimit> rateLimits) {

  public SignetProperties {
    keys = keys == null ? List.of() : List.copyOf(keys);
    rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
    serviceIssuers = serviceIssuers == null ? List.of() : List.copyOf(serviceIssuers);
  }

  /**
   * One rate limit: {@code rate} requests per {@code perSeconds}, bursts of {@code burst} (default:
   * {@code rate}), per {@code key} ({@code user}, {@code session}, {@code oauth_app},
   * {@code service_issuer}, {@code route} or {@code address}), on the paths under {@code routes}
   * (none: every verified request).
   */
  public record RateLimit(String name, String key, Long rate, @DefaultValue("1") long perSeconds, Long burst, List<String> routes) {
    public RateLimit {
      routes = routes == null ? List.of() : List.copyOf(routes);
    }
  }

  /**
   * A service-token issuer that publishes its keys as a JWKS (RFC 7517), as {@code signet serve}'s
   * {@code service.issuers}: its {@code (iss, kid)} are looked up in the set first, then among the listed keys.
   *
   * @param issuer the tokens' {@code iss}
   * @param jwksUri where the set is, {@code https} only; redirects are not followed
   * @param cache how long a fetched set is used (a shorter {@code Cache-Control: max-age} wins, down to {@code minRefresh})
   * @param minRefresh the least time between two fetches, whatever unknown {@code kid}s arrive
   * @param maxStale how long past {@code cache} the last set still serves while the issuer is down
   * @param caFile PEM certificates trusted for this issuer besides the JVM's
   */
  public record ServiceIssuer(String issuer, java.net.URI jwksUri, @DefaultValue("5m") Duration cache,
      @DefaultValue("30s") Duration minRefresh, @DefaultValue("1h") Duration maxStale, String caFile) {}

  /**
   * One registered key.
   *
   * @param scheme {@code mixin-bot}, {@code mixin-oauth} or {@code service}
   * @param user the bot's user id, or the user an OAuth authorization acts for
   * @param session the bot session id
   * @param authorization the OAuth authorization id ({@code aid})
   * @param issuer the OAuth app id, or the service tokens' {@code iss}
   * @param kid the service key id
   * @param publicKey Ed25519 as base64url, hex or PEM; RSA as PEM
   * @param algorithm {@code EdDSA} (default for mixin schemes), {@code RS512} (legacy bot sessions) or {@code RS256} (service default)
   * @param scopes what the key may do; none listed: no restriction (bot and service keys)
   */
  public record KeyEntry(String scheme, String user, String session, String authorization, String issuer, String kid,
      String publicKey, String algorithm, List<String> scopes) {}

  /**
   * @param ed25519 {@code auto}: libsodium (bundled, native) where it loads, else BouncyCastle with a
   *     warning; {@code native}: libsodium or the application does not start; {@code java}: BouncyCastle
   */
  public record Crypto(@DefaultValue("auto") String ed25519) {}

  /**
   * @param type {@code memory} (one instance), {@code redis} (shared by every instance and by {@code
   *     signet serve}) or {@code redis-cluster} (the same, on a Redis Cluster)
   * @param capacity ids the in-memory store holds; full, it refuses new tokens (503)
   * @param url the Redis URL, e.g. {@code redis://127.0.0.1:6379}
   * @param nodes {@code redis-cluster}: some of its nodes, {@code host:port}
   * @param prefix Redis key prefix; {@code signet serve}'s default, so both share one replay cache
   */
  public record Replay(@DefaultValue("memory") String type, @DefaultValue("1000000") int capacity, String url,
      @DefaultValue("") List<String> nodes, @DefaultValue("signet:") String prefix) {}
}
