package dev.signet.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code signet serve} can be told. Read from YAML ({@code --config}), every key
 * overridable by an environment variable ({@code SIGNET_} + the key path in upper case joined by
 * {@code _}, e.g. {@code SIGNET_VERIFICATION_ACCEPTANCE_WINDOW}), and validated before start.
 */
public record ServerConfig(
    String host,
    int port,
    @JsonProperty("data_dir") String dataDir,
    @JsonProperty("public_origin") String publicOrigin,
    Tls tls,
    Admin admin,
    Shutdown shutdown,
    Store store,
    Replay replay,
    Crypto crypto,
    Keys keys,
    Verification verification,
    Service service,
    Limits limits,
    Abuse abuse,
    WebSocket websocket,
    Pin pin,
    Graphene graphene,
    Dpop dpop,
    @JsonProperty("http_signatures") HttpSignatures httpSignatures,
    Log log,
    Decisions decisions,
    Identity identity,
    java.util.List<Route> routes,
    @JsonProperty("rate_limits") java.util.List<RateLimit> rateLimits) {

  /**
   * {@code X-Signet-Identity} tokens for upstreams: {@code iss}, {@code aud} (empty: each route's
   * upstream, or the issuer on the decision API outside every route), lifetime, key rotation period.
   */
  public record Identity(String issuer, String audience, @JsonProperty("ttl_seconds") long ttlSeconds,
      @JsonProperty("rotation_seconds") long rotationSeconds) {}

  /**
   * The decision API for gateways: {@code X-Forwarded-*} / {@code X-Original-*} headers naming the
   * request to check are believed only from these addresses or CIDR blocks.
   */
  public record Decisions(@JsonProperty("trusted_proxies") java.util.List<String> trustedProxies) {}

  /** HTTPS on the server's port: PEM certificate chain and key, re-read every {@code reload_seconds} and on SIGHUP. */
  public record Tls(String cert, String key, @JsonProperty("reload_seconds") int reloadSeconds) {
    public boolean enabled() {
      return !cert.isBlank();
    }
  }

  /** The admin API: with {@code client_ca}, a client certificate signed by it is required as well as the token. */
  public record Admin(@JsonProperty("client_ca") String clientCa) {
    public boolean clientCertificates() {
      return !clientCa.isBlank();
    }
  }

  /** SIGTERM: fail {@code /healthz} for {@code drain_seconds}, then finish in-flight requests within {@code grace_seconds}. */
  public record Shutdown(@JsonProperty("drain_seconds") int drainSeconds, @JsonProperty("grace_seconds") int graceSeconds) {}

  /** Log lines as {@code text} or {@code json} (one object per line), at {@code level} and above. */
  public record Log(String format, String level) {}

  /** Where users, keys and PIN state live: {@code embedded} (H2 in the data directory) or {@code postgres}. */
  public record Store(String type, String url, String user, String password, String schema) {
    @Override
    public String toString() {
      return "Store[type=" + type + ", url=" + url + ", user=" + user + ", schema=" + schema + "]";
    }
  }

  /**
   * Where used token ids are remembered: {@code memory} (this process), {@code redis}, one at
   * {@code url} or the primary that {@code sentinels} name for {@code master_name}, or
   * {@code redis-cluster}, the Redis Cluster that {@code nodes} belong to.
   */
  public record Replay(String type, int capacity, String url, String prefix, java.util.List<String> sentinels,
      @JsonProperty("master_name") String masterName, java.util.List<String> nodes) {
    public boolean sentinel() {
      return !sentinels.isEmpty();
    }

    /** Whether claims are kept in Redis (one, a Sentinel-watched pair, or a cluster). */
    public boolean redis() {
      return !type.equals("memory");
    }
  }

  /** Who computes Ed25519: {@code auto}, {@code native} (libsodium) or {@code java} (BouncyCastle). */
  public record Crypto(String ed25519) {
    public dev.signet.keys.Ed25519Provider.Choice ed25519Choice() {
      return dev.signet.keys.Ed25519Provider.Choice.parse(ed25519);
    }
  }

  /** The key cache: {@code cacheSeconds} bounds how long a revoked key may still work on a node. */
  public record Keys(@JsonProperty("cache_seconds") int cacheSeconds) {}

  /** Seconds; see {@code VerifierPolicy}. {@code schemes}: per-scheme settings by wire name. */
  public record Verification(
      @JsonProperty("acceptance_window") long acceptanceWindow,
      @JsonProperty("clock_skew") long clockSkew,
      String audience,
      @JsonProperty("max_lifetime") long maxLifetime,
      java.util.Map<String, SchemeSettings> schemes) {}

  /** {@code reuse}: {@code once} or {@code until_expiry} (see {@code Reuse}). */
  public record SchemeSettings(String reuse) {}

  /** Service tokens: issuers whose keys come from a JWKS URL, by {@code iss}. */
  public record Service(java.util.Map<String, Issuer> issuers) {}

  /**
   * One issuer's JWKS: fetched over HTTPS from {@code jwks_uri}, trusted by the JVM's CAs plus those
   * in the PEM file {@code ca_file}; timing as {@code RemoteJwks} (absent values: 300, 30, 3600 s).
   */
  public record Issuer(@JsonProperty("jwks_uri") String jwksUri,
      @JsonProperty("cache_seconds") Long cacheSeconds,
      @JsonProperty("min_refresh_seconds") Long minRefreshSeconds,
      @JsonProperty("max_stale_seconds") Long maxStaleSeconds,
      @JsonProperty("ca_file") String caFile) {
    public Issuer {
      cacheSeconds = cacheSeconds == null ? 300 : cacheSeconds;
      minRefreshSeconds = minRefreshSeconds == null ? 30 : minRefreshSeconds;
      maxStaleSeconds = maxStaleSeconds == null ? 3600 : maxStaleSeconds;
      caFile = caFile == null ? "" : caFile;
    }
  }

  /** How often tokens of {@code scheme} may be used, as configured ({@code once} when not named). */
  public dev.signet.verify.Reuse reuse(dev.signet.verify.Scheme scheme) {
    SchemeSettings s = verification.schemes().get(scheme.wireName());
    return s == null ? dev.signet.verify.Reuse.ONCE : dev.signet.verify.Reuse.parse(s.reuse());
  }

  /** PIN checks: after {@code maxFailures} wrong PINs in a row the user is locked for {@code lockSeconds}. */
  public record Pin(@JsonProperty("max_failures") int maxFailures, @JsonProperty("lock_seconds") long lockSeconds) {}

  /** Graphene logins; off while {@code authIdentifier} is empty. */
  public record Graphene(
      @JsonProperty("auth_identifier") String authIdentifier,
      @JsonProperty("access_token_ttl") long accessTokenTtl,
      @JsonProperty("rpc_timeout_seconds") long rpcTimeoutSeconds,
      java.util.Map<String, Network> networks) {
    public boolean enabled() {
      return authIdentifier != null && !authIdentifier.isBlank();
    }
  }

  /** DPoP-bound access tokens (RFC 9449): {@code nonce} requires a server nonce ({@code DPoP-Nonce}) in every proof. */
  public record Dpop(boolean nonce) {}

  /** RFC 9421 signatures by sessions: the components every signature must cover. */
  public record HttpSignatures(@JsonProperty("required_components") java.util.List<String> requiredComponents) {}

  /** One chain logins may come from. */
  public record Network(
      String prefix,
      @JsonProperty("auth_timeout_blocks") int authTimeoutBlocks,
      @JsonProperty("block_interval_seconds") long blockIntervalSeconds,
      java.util.List<String> rpc) {}

  /**
   * A forwarded route.
   *
   * @param scopes scopes the token must cover (may be empty)
   * @param pin whether the body's {@code pin} field must pass the PIN check first
   * @param websocket whether the route takes WebSocket upgrades (then its upstream is ws:// or wss://)
   */
  public record Route(String prefix, String upstream, java.util.List<String> scopes, Boolean pin, Boolean websocket,
      @JsonProperty("rate_limit") RateLimit rateLimit) {
    public Route {
      scopes = scopes == null ? java.util.List.of() : java.util.List.copyOf(scopes);
      pin = pin != null && pin;
      websocket = websocket != null && websocket;
    }

    /** The route's own {@code rate_limit:} on its prefix (named {@code route} + the prefix unless named), or null. */
    public RateLimit ownRateLimit() {
      if (rateLimit == null) {
        return null;
      }
      String name = rateLimit.name() != null ? rateLimit.name() : "route" + prefix.replaceAll("/+$", "").replace('/', '.').replace('~', '_');
      return new RateLimit(name, rateLimit.key(), rateLimit.rate(), rateLimit.perSeconds(), rateLimit.burst(), java.util.List.of(prefix));
    }
  }

  /** Every rate limit in the order it is counted: {@code rate_limits:}, then the routes' own. */
  public java.util.List<dev.signet.limits.RateLimitRule> rateLimitRules() {
    java.util.List<dev.signet.limits.RateLimitRule> out = new java.util.ArrayList<>();
    for (RateLimit r : allRateLimits()) {
      out.add(new dev.signet.limits.RateLimitRule(r.policy(), r.routes()));
    }
    return out;
  }

  private java.util.List<RateLimit> allRateLimits() {
    java.util.List<RateLimit> all = new java.util.ArrayList<>(rateLimits);
    routes.stream().map(Route::ownRateLimit).filter(java.util.Objects::nonNull).forEach(all::add);
    return all;
  }

  /**
   * Relayed WebSocket connections (routes with {@code websocket: true}).
   *
   * @param maxMessageBytes a message (all its fragments) larger than this closes the connection with 1009
   * @param idleTimeoutSeconds no frame either way for this long closes it with 1001
   * @param maxConnectionSeconds a connection's whole life, whatever its traffic
   */
  public record WebSocket(
      @JsonProperty("max_message_bytes") int maxMessageBytes,
      @JsonProperty("idle_timeout_seconds") int idleTimeoutSeconds,
      @JsonProperty("max_connection_seconds") long maxConnectionSeconds) {}

  /**
   * A rate limit on verified requests: {@code rate} per {@code per_seconds}, bursts of {@code burst},
   * counted per {@code key} ({@code user}, {@code session}, {@code oauth_app}, {@code service_issuer},
   * {@code route}, {@code address}), on the paths under {@code routes} (empty: every verified request).
   */
  public record RateLimit(String name, String key, Long rate, @JsonProperty("per_seconds") Long perSeconds, Long burst,
      java.util.List<String> routes) {
    public RateLimit {
      routes = routes == null ? java.util.List.of() : java.util.List.copyOf(routes);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public dev.signet.limits.RateLimitPolicy policy() {
      return dev.signet.limits.RateLimitPolicy.configured(name, key, rate, perSeconds, burst);
    }
  }

  /**
   * The refusal throttle: {@code max_refusals} refused verifications from one client address
   * within {@code window_seconds} (0: off), and the most addresses counted at once.
   */
  public record Abuse(@JsonProperty("max_refusals") int maxRefusals, @JsonProperty("window_seconds") int windowSeconds,
      @JsonProperty("max_addresses") int maxAddresses) {}

  /** Request limits. */
  public record Limits(
      @JsonProperty("max_body_bytes") int maxBodyBytes,
      @JsonProperty("max_header_bytes") int maxHeaderBytes,
      @JsonProperty("idle_timeout_seconds") int idleTimeoutSeconds) {}

  public Path dataPath() {
    return Path.of(dataDir);
  }

  public Duration acceptanceWindow() {
    return Duration.ofSeconds(verification.acceptanceWindow());
  }

  /** Throws {@link ConfigException} naming the first bad setting. */
  void validate() {
    require(port >= 0 && port <= 65535, "port must be 0-65535");
    require(host != null && !host.isBlank(), "host is required");
    require(dataDir != null && !dataDir.isBlank(), "data_dir is required");
    require(tls.cert().isBlank() == tls.key().isBlank(), "tls.cert and tls.key must be set together");
    require(tls.reloadSeconds() >= 0 && tls.reloadSeconds() <= 86_400, "tls.reload_seconds must be 0-86400");
    require(!admin.clientCertificates() || tls.enabled(), "admin.client_ca needs tls.cert and tls.key (client certificates need HTTPS)");
    require(shutdown.drainSeconds() >= 0 && shutdown.drainSeconds() <= 300, "shutdown.drain_seconds must be 0-300");
    require(shutdown.graceSeconds() >= 0 && shutdown.graceSeconds() <= 3600, "shutdown.grace_seconds must be 0-3600");
    require(java.util.List.of("embedded", "postgres").contains(store.type()), "store.type must be embedded or postgres");
    if (store.type().equals("postgres")) {
      require(store.url().startsWith("jdbc:postgresql://"), "store.url must be jdbc:postgresql://host:port/database");
      require(store.schema().matches("[a-z_][a-z0-9_]{0,62}"), "store.schema must be a lower-case SQL identifier");
    }
    require(java.util.List.of("memory", "redis", "redis-cluster").contains(replay.type()), "replay.type must be memory, redis or redis-cluster");
    if (replay.type().equals("memory")) {
      require(replay.capacity() == 0 || replay.capacity() >= 1000, "replay.capacity must be 0 (from the heap) or at least 1000");
    } else if (replay.type().equals("redis-cluster")) {
      require(!replay.nodes().isEmpty() && replay.nodes().stream().allMatch(s -> s.matches("[^\\s:/]+:[0-9]{1,5}")),
          "replay.nodes must be host:port entries, one or more of the cluster's nodes");
      require(replay.url().isEmpty() && !replay.sentinel(), "replay.type redis-cluster takes replay.nodes, not replay.url or replay.sentinels");
      require(replay.prefix().indexOf('{') < 0 && replay.prefix().indexOf('}') < 0,
          "replay.prefix cannot hold { or } on a cluster: its hash tag would put every key in one slot");
    } else {
      require(replay.nodes().isEmpty(), "replay.nodes is for replay.type redis-cluster");
      if (replay.sentinel()) {
        require(replay.url().isEmpty(), "replay.url and replay.sentinels exclude each other");
        require(replay.sentinels().stream().allMatch(s -> s.matches("[^\\s:/]+:[0-9]{1,5}")),
            "replay.sentinels must be host:port entries");
        require(replay.masterName().matches("[A-Za-z0-9._-]{1,64}"), "replay.master_name must name the Sentinels' primary");
      } else {
        require(replay.url().matches("rediss?://\\S+"), "replay.url must be redis://host:port (or set replay.sentinels)");
      }
    }
    try {
      crypto.ed25519Choice();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("crypto.ed25519 must be auto, native or java");
    }
    require(keys.cacheSeconds() >= 0 && keys.cacheSeconds() <= 3600, "keys.cache_seconds must be 0-3600");
    require(verification.acceptanceWindow() >= 1 && verification.acceptanceWindow() <= 86_400,
        "verification.acceptance_window must be 1-86400 seconds");
    require(verification.clockSkew() >= 0 && verification.clockSkew() <= 600, "verification.clock_skew must be 0-600 seconds");
    require(verification.maxLifetime() >= 1 && verification.maxLifetime() <= 86_400, "verification.max_lifetime must be 1-86400 seconds");
    verification.schemes().forEach((name, settings) -> {
      dev.signet.verify.Scheme scheme = java.util.Arrays.stream(dev.signet.verify.Scheme.values())
          .filter(x -> x.wireName().equals(name)).findFirst()
          .orElseThrow(() -> new ConfigException("verification.schemes." + name + ": no such scheme (mixin-bot, mixin-oauth, service)"));
      require(settings != null && settings.reuse() != null && java.util.List.of("once", "until_expiry").contains(settings.reuse()),
          "verification.schemes." + name + ".reuse must be once or until_expiry");
      require(scheme == dev.signet.verify.Scheme.SERVICE || settings.reuse().equals("once"),
          "verification.schemes." + name + ".reuse must be once: only service tokens may be reused");
    });
    require(service.issuers().isEmpty() || !verification.audience().isBlank(),
        "service.issuers needs verification.audience (without one, service tokens are refused)");
    service.issuers().forEach((iss, i) -> {
      String at = "service.issuers." + iss;
      require(i != null && i.jwksUri() != null && i.jwksUri().matches("https://[^\\s/?#]+(/\\S*)?"), at + ".jwks_uri must be an https:// URL");
      require(i.minRefreshSeconds() >= 1 && i.minRefreshSeconds() <= 3600, at + ".min_refresh_seconds must be 1-3600");
      require(i.cacheSeconds() >= i.minRefreshSeconds() && i.cacheSeconds() <= 86_400,
          at + ".cache_seconds must be at least min_refresh_seconds and at most 86400");
      require(i.maxStaleSeconds() >= 0 && i.maxStaleSeconds() <= 7 * 86_400, at + ".max_stale_seconds must be 0-604800");
    });
    require(publicOrigin.isEmpty() || publicOrigin.matches("https?://[A-Za-z0-9.\\[\\]:-]+"),
        "public_origin must be scheme://host[:port], nothing after it");
    for (String c : httpSignatures.requiredComponents()) {
      require(java.util.List.of("@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query").contains(c)
          || c.matches("[a-z0-9!#$%&'*+.^_`|~-]+"), "http_signatures.required_components: " + c + " is not a component name");
    }
    require(limits.maxBodyBytes() >= 1024, "limits.max_body_bytes must be at least 1024");
    require(limits.maxHeaderBytes() >= 1024, "limits.max_header_bytes must be at least 1024");
    require(limits.idleTimeoutSeconds() >= 1, "limits.idle_timeout_seconds must be at least 1");
    require(pin.maxFailures() >= 1 && pin.maxFailures() <= 100, "pin.max_failures must be 1-100");
    require(pin.lockSeconds() >= 1, "pin.lock_seconds must be positive");
    require(java.util.List.of("text", "json").contains(log.format()), "log.format must be text or json");
    require(java.util.List.of("error", "warn", "info", "debug").contains(log.level()), "log.level must be error, warn, info or debug");
    require(identity.issuer() != null && !identity.issuer().isBlank(), "identity.issuer is required");
    require(identity.ttlSeconds() >= 1 && identity.ttlSeconds() <= 3600, "identity.ttl_seconds must be 1-3600");
    require(identity.rotationSeconds() >= 60 && identity.rotationSeconds() > identity.ttlSeconds(),
        "identity.rotation_seconds must be at least 60 and longer than identity.ttl_seconds");
    for (String p : decisions.trustedProxies()) {
      try {
        dev.signet.server.http.TrustedProxies.parse(java.util.List.of(p));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("decisions.trusted_proxies: " + e.getMessage());
      }
    }
    for (Route r : routes) {
      require(r.prefix() != null && r.prefix().matches("/[A-Za-z0-9._~/-]*"), "routes: prefix must be a path starting with /");
      require(!(r.prefix() + "/").startsWith("/admin/"), "routes: prefix must not be under /admin");
      require(!(r.prefix() + "/").startsWith("/decisions/"), "routes: prefix must not be under /decisions (the decision API)");
      if (r.websocket()) {
        require(r.upstream() != null && r.upstream().matches("wss?://[^/\\s]+/?"),
            "routes: upstream of a websocket route must be ws(s)://host[:port]");
      } else {
        require(r.upstream() != null && r.upstream().matches("https?://[^/\\s]+/?"), "routes: upstream must be http(s)://host[:port]");
      }
      require(!(r.websocket() && r.pin()), "routes: pin needs a request body, which a websocket route's upgrade has none of");
    }
    java.util.Set<String> prefixes = new java.util.HashSet<>();
    for (Route r : routes) {
      require(prefixes.add(r.prefix().replaceAll("/$", "")), "routes: prefix " + r.prefix() + " is listed twice");
    }
    java.util.Set<String> limitNames = new java.util.HashSet<>();
    for (Route r : routes) {
      require(r.rateLimit() == null || r.rateLimit().routes().isEmpty(),
          "routes: rate_limit of " + r.prefix() + " applies to its route; it takes no routes");
    }
    for (RateLimit r : allRateLimits()) {
      try {
        r.policy();
      } catch (IllegalArgumentException e) {
        throw new ConfigException("rate_limits: " + r.name() + ": " + e.getMessage());
      }
      require(limitNames.add(r.name()), "rate_limits: policy " + r.name() + " is listed twice");
      require(r.routes().stream().allMatch(x -> x.startsWith("/")), "rate_limits: policy " + r.name() + ": routes are path prefixes starting with /");
    }
    require(abuse.maxRefusals() >= 0, "abuse.max_refusals must be 0 (off) or more");
    require(abuse.windowSeconds() >= 1 && abuse.windowSeconds() <= 86400, "abuse.window_seconds must be 1-86400");
    require(abuse.maxAddresses() >= 1, "abuse.max_addresses must be positive");
    require(websocket.maxMessageBytes() >= 125 && websocket.maxMessageBytes() <= 64 * 1024 * 1024,
        "websocket.max_message_bytes must be 125-67108864");
    require(websocket.idleTimeoutSeconds() >= 1, "websocket.idle_timeout_seconds must be positive");
    require(websocket.maxConnectionSeconds() >= 1, "websocket.max_connection_seconds must be positive");
    if (graphene.enabled()) {
      require(graphene.authIdentifier().matches("[\\x21-\\x39\\x3b-\\x7e]{1,128}"),
          "graphene.auth_identifier must be printable ASCII without ':'");
      require(graphene.accessTokenTtl() >= 60 && graphene.accessTokenTtl() <= 86_400, "graphene.access_token_ttl must be 60-86400 seconds");
      require(graphene.rpcTimeoutSeconds() >= 1, "graphene.rpc_timeout_seconds must be positive");
      require(graphene.networks().values().stream().anyMatch(n -> !n.rpc().isEmpty()),
          "graphene is on (auth_identifier set) but no network has rpc nodes");
      graphene.networks().forEach((name, n) -> {
        require(n.prefix() != null && n.prefix().matches("[A-Z]{1,8}"), "graphene.networks." + name + ".prefix must be upper-case letters");
        require(n.authTimeoutBlocks() >= 1, "graphene.networks." + name + ".auth_timeout_blocks must be positive");
        require(n.blockIntervalSeconds() >= 1, "graphene.networks." + name + ".block_interval_seconds must be positive");
        n.rpc().forEach(u -> require(u.matches("https?://\\S+"), "graphene.networks." + name + ".rpc entries must be http(s) URLs"));
      });
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
