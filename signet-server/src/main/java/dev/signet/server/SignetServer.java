package dev.signet.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.keys.Ed25519Provider;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.server.admin.AdminApi;
import dev.signet.server.admin.AdminToken;
import dev.signet.server.admin.SessionUse;
import dev.signet.server.console.Console;
import dev.signet.server.auth.RequestAuthenticator;
import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.decisions.DecisionApi;
import dev.signet.server.decisions.TrustedProxies;
import dev.signet.server.graphene.AccessTokens;
import dev.signet.server.graphene.GrapheneLogins;
import dev.signet.server.http.ApiError;
import dev.signet.server.http.Envelope;
import dev.signet.server.http.Identity;
import dev.signet.server.identity.IdentityKeys;
import dev.signet.server.identity.JwksEndpoint;
import dev.signet.server.identity.IdentityTokens;
import dev.signet.server.pin.PinAttempts;
import dev.signet.server.pin.PinService;
import dev.signet.server.pin.StorePinAttempts;
import dev.signet.server.proxy.RouteProxy;
import dev.signet.server.redis.RedisConnection;
import dev.signet.server.redis.RedisPinAttempts;
import dev.signet.server.replay.RedisReplayStore;
import dev.signet.server.tls.TlsCredentials;
import dev.signet.server.tls.TlsReloader;
import dev.signet.store.JdbcStore;
import dev.signet.store.Store;
import dev.signet.store.StoreException;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.Principal;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code signet serve}: the verifying HTTP server on Vert.x. */
public final class SignetServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignetServer.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final CharSequence X_REQUEST_ID = io.vertx.core.http.HttpHeaders.createOptimized("X-Request-Id");

  /** The API's OpenAPI 3.1 document, as shipped in the jar. */
  private static final Buffer OPENAPI = resource("/openapi.json");

  private final ServerConfig config;
  private final Clock clock;
  private final Vertx vertx;
  private final Store store;
  private final StoreKeyResolver keys;
  /** The keys tokens are verified with: registered ones, and service issuers' JWKS; and a view that never waits. */
  private final dev.signet.verify.KeyResolver verifyKeys;
  private final dev.signet.verify.KeyResolver verifyKeysNonBlocking;
  private final RequestAuthenticator auth;
  private final java.util.List<GuardedRoute> routes;
  private final IdentityTokens identity;
  private final RedisReplayStore redisReplay;
  private final AdminApi admin;
  private final AdminToken adminToken;
  private final PinService pins;
  private final GrapheneLogins graphene;
  private final VerifierPolicy policy;
  /** DPoP proofs for bound Graphene access tokens, and the server's nonces (null unless dpop.nonce). */
  private final dev.signet.dpop.DpopVerifier dpop;
  private final dev.signet.dpop.DpopNonces dpopNonces;
  /** Addresses whose X-Forwarded-* / X-Original-* headers are believed (decisions.trusted_proxies). */
  private final TrustedProxies trustedProxies;
  private final dev.signet.replay.ReplayStore replay;
  private final RedisConnection redis;
  private final Ed25519Provider ed25519;
  private final ReplayFill replayFill = new ReplayFill();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Meters by "scheme outcome": looked up once each, not rebuilt per request. */
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> verifications = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Buckets from 50 µs: a verification takes ~0.1 ms, and with Micrometer's default floor of 1 ms
   * every one fell in the first bucket, so the dashboard's quantiles were interpolations within it.
   */
  private final Timer verificationTime = Timer.builder("signet.verification").description("verification latency")
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
      .publishPercentiles(0.5, 0.99).register(metrics);
  /** PIN checks by outcome ({@code ok} or the refusal's code, e.g. {@code pin_locked}). */
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> pinChecks = new java.util.concurrent.ConcurrentHashMap<>();
  /** The store's and Redis's health as last checked (every 5 s, on a worker): scrapes never wait on them. */
  private volatile boolean storeUp = true;
  private volatile boolean replayUp = true;
  private final SessionUse sessionUse;
  /** JVM heap, GC (with the live heap after each collection) and threads, for /metrics. */
  private final io.micrometer.core.instrument.binder.jvm.JvmGcMetrics jvmGc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
  private int port;
  /** HTTPS material and its reloads; null when tls.cert is not set. */
  private final TlsReloader tls;
  /** One per event loop, for TLS reloads and graceful shutdown. */
  private final List<HttpServer> httpServers = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Set on SIGTERM: /healthz fails so that load balancers stop sending new requests here. */
  private volatile boolean draining;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private SignetServer(ServerConfig config, Clock clock, String adminTokenFromEnv) {
    this.config = config;
    this.clock = clock;
    SecureRandom random = new SecureRandom();
    ServerConfig.Store sc = config.store();
    this.store = sc.type().equals("postgres")
        ? JdbcStore.postgres(sc.url(), sc.user(), sc.password(), sc.schema())
        : JdbcStore.embedded(config.dataPath());
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(metrics);
    jvmGc.bindTo(metrics);
    try {
      this.tls = config.tls().enabled() ? tls(config) : null;
      this.adminToken = AdminToken.load(adminTokenFromEnv, store, config.dataPath(), clock, random);
      this.ed25519 = ed25519(config.crypto().ed25519Choice());
      this.keys = new StoreKeyResolver(store, clock, Duration.ofSeconds(config.keys().cacheSeconds()), ed25519);
      java.util.Map<String, dev.signet.jwks.RemoteJwks> jwks = dev.signet.server.jwks.ServiceIssuers.create(config.service(), clock,
          task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
          }, false), ed25519, metrics);
      if (jwks.isEmpty()) {
        this.verifyKeys = keys;
        this.verifyKeysNonBlocking = keys.cachedOnly();
      } else {
        dev.signet.jwks.JwksKeyResolver withJwks = new dev.signet.jwks.JwksKeyResolver(jwks, keys);
        this.verifyKeys = withJwks;
        this.verifyKeysNonBlocking = withJwks.nonBlocking(keys.cachedOnly());
      }
      dev.signet.verify.Reuse serviceReuse = config.reuse(dev.signet.verify.Scheme.SERVICE);
      if (serviceReuse == dev.signet.verify.Reuse.UNTIL_EXPIRY) {
        LOG.warn("verification.schemes.service.reuse is until_expiry: a service token is a bearer token until it expires "
            + "(at most {} s); whoever copies one can use it", config.verification().maxLifetime());
      }
      VerifierPolicy configured = VerifierPolicy.defaults()
          .withAcceptanceWindow(config.acceptanceWindow())
          .withClockSkew(Duration.ofSeconds(config.verification().clockSkew()))
          .withMaxLifetime(Duration.ofSeconds(config.verification().maxLifetime()))
          .withAudience(config.verification().audience().isBlank() ? null : config.verification().audience())
          .withReuse(dev.signet.verify.Scheme.SERVICE, serviceReuse);
      PinAttempts pinAttempts;
      if (config.replay().type().equals("redis")) {
        ServerConfig.Replay r = config.replay();
        this.redis = r.sentinel()
            ? new RedisConnection(vertx, r.sentinels(), r.masterName(), Duration.ofSeconds(2))
            : new RedisConnection(vertx, r.url(), Duration.ofSeconds(2));
        io.micrometer.core.instrument.Counter epochs = io.micrometer.core.instrument.Counter.builder("signet.replay.epochs")
            .description("replay epochs this node began: the Redis primary had changed (failover or restart)").register(metrics);
        this.redisReplay = new RedisReplayStore(redis, config.replay().prefix(), clock, start -> {
          epochs.increment();
          LOG.warn("replay epoch began at {}: the Redis primary changed (failover or restart) or its epoch key was gone; "
              + "tokens issued before then are refused as stale", Instant.ofEpochMilli(start));
        });
        try {
          LOG.info("replay epoch in Redis began at {}", redisReplay.currentEpoch());
        } catch (dev.signet.verify.VerificationException e) {
          LOG.warn("Redis does not answer yet; requests are refused (503) until it does");
        }
        this.replay = redisReplay;
        pinAttempts = new RedisPinAttempts(redis, config.replay().prefix(), clock, config.pin().maxFailures(), config.pin().lockSeconds());
      } else {
        pinAttempts = new StorePinAttempts(store, clock, config.pin());
        this.redis = null;
        this.redisReplay = null;
        InMemoryReplayStore memory = new InMemoryReplayStore(clock, replayCapacity(config.replay().capacity()));
        this.replay = memory;
        Gauge.builder("signet.replay.entries", memory, InMemoryReplayStore::size)
            .description("token ids held by the in-memory replay store").register(metrics);
        Gauge.builder("signet.replay.capacity", memory, InMemoryReplayStore::capacity)
            .description("token ids the in-memory replay store holds at most (then 503)").register(metrics);
        vertx.setPeriodic(10_000, t -> replayFill.check(memory.size(), memory.capacity()));
      }
      // A replay cache in memory: tokens issued before this start are refused (restart safety).
      this.policy = configured.restartSafe(replay, clock);
      this.graphene = config.graphene().enabled() ? GrapheneLogins.create(config, store, replay, clock, random, ed25519) : null;
      this.dpopNonces = config.dpop().nonce() ? new dev.signet.dpop.DpopNonces(sharedSecret("dpop_nonce_key", random), clock,
          Duration.ofMinutes(5)) : null;
      this.dpop = new dev.signet.dpop.DpopVerifier(clock, this.policy, ed25519, dpopNonces);
      this.trustedProxies = TrustedProxies.parse(config.decisions().trustedProxies());
      this.auth = auth(this.policy);
      // One authenticator per route, so that a missing scope is refused before the token is consumed.
      // Longest prefix first: the decision API picks the route a path falls under.
      this.routes = config.routes().stream()
          .map(r -> new GuardedRoute(r.prefix().replaceAll("/$", ""), r, auth(this.policy.withRequiredScopes(new java.util.HashSet<>(r.scopes())))))
          .sorted(java.util.Comparator.comparingInt((GuardedRoute g) -> g.prefix().length()).reversed())
          .toList();
      this.admin = new AdminApi(store, keys, clock, random, pinAttempts);
      this.sessionUse = new SessionUse(store, clock);
      vertx.setPeriodic(60_000, t -> vertx.executeBlocking(() -> {
        sessionUse.flush();
        return null;
      }, false));
      Gauge.builder("signet.store.up", () -> storeUp ? 1 : 0).description("whether the store answered its last check (every 5 s)")
          .tag("type", config.store().type()).register(metrics);
      Gauge.builder("signet.replay.up", () -> replayUp ? 1 : 0).description("whether the replay store (Redis) answered its last check (every 5 s)")
          .tag("type", config.replay().type()).register(metrics);
      vertx.setPeriodic(5_000, t -> vertx.executeBlocking(() -> {
        storeUp = store.healthy();
        replayUp = redis == null || redis.healthy();
        return null;
      }, false));
      this.pins = new PinService(store, clock, config.verification().acceptanceWindow(), pinAttempts);
      ServerConfig.Identity id = config.identity();
      this.identity = new IdentityTokens(new IdentityKeys(store, clock, Duration.ofSeconds(id.rotationSeconds()), random, ed25519),
          id.issuer(), Duration.ofSeconds(id.ttlSeconds()), clock);
    } catch (RuntimeException e) {
      vertx.close();
      jvmGc.close();
      store.close();
      throw e;
    }
  }

  private TlsReloader tls(ServerConfig config) {
    try {
      TlsReloader reloader = new TlsReloader(new TlsCredentials.Sources(Path.of(config.tls().cert()), Path.of(config.tls().key()),
          config.admin().clientCertificates() ? Path.of(config.admin().clientCa()) : null));
      if (reloader.current().expired(clock.instant())) {
        LOG.warn("the TLS certificate has expired: {}; clients will refuse it", reloader.current().describe());
      }
      return reloader;
    } catch (TlsCredentials.TlsFileException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * {@code crypto.ed25519}: libsodium where it loads ({@code auto}), with one warning where it does
   * not; {@code native} that cannot load stops the start.
   */
  private Ed25519Provider ed25519(Ed25519Provider.Choice choice) {
    Ed25519Provider.Selection selected;
    try {
      selected = Ed25519Provider.select(choice);
    } catch (Ed25519Provider.UnavailableException e) {
      throw new ConfigException("crypto.ed25519 is native, but " + e.getMessage());
    }
    if (selected.fellBack()) {
      LOG.warn("Ed25519 with BouncyCastle (Java): {} (set crypto.ed25519: java to choose it and silence this)",
          selected.fallbackReason());
    }
    Gauge.builder("signet.crypto.provider", () -> 1).tag("ed25519", selected.provider().id())
        .description("the Ed25519 provider in use (always 1; the tag names it)").register(metrics);
    return selected.provider();
  }

  /**
   * The configured capacity (0: what a quarter of the heap holds, at most ~64 bytes per id), never
   * more than that quarter: a full cache refuses new tokens (503), which beats running out of memory.
   */
  private static int replayCapacity(int configured) {
    long fits = Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / 64);
    if (configured == 0) {
      LOG.info("replay.capacity {} token ids (a quarter of the {} MB heap)", fits, Runtime.getRuntime().maxMemory() >> 20);
      return (int) fits;
    }
    if (configured > fits) {
      LOG.warn("replay.capacity {} does not fit a quarter of the heap; using {} (give the JVM more memory, -Xmx)", configured, fits);
      return (int) fits;
    }
    return configured;
  }

  private RequestAuthenticator auth(VerifierPolicy with) {
    BearerAuthenticator core = new BearerAuthenticator(verifyKeys, replay, clock, with, graphene == null ? null : graphene.accessTokens(),
        dpop);
    return new RequestAuthenticator(vertx, core.withSignatureComponents(config.httpSignatures().requiredComponents()),
        verifyKeysNonBlocking, replay, redisReplay);
  }

  /** Starts and binds; the returned server is listening. */
  public static SignetServer start(ServerConfig config, Clock clock, String adminTokenFromEnv) {
    SignetServer s = new SignetServer(config, clock, adminTokenFromEnv);
    try {
      s.listen();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  public int port() {
    return port;
  }

  /** Serves the router on one event loop. */
  private static final class HttpVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Router router;
    private final java.util.function.Consumer<HttpServer> listening;

    HttpVerticle(HttpServerOptions options, Router router, java.util.function.Consumer<HttpServer> listening) {
      this.options = options;
      this.router = router;
      this.listening = listening;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(listening::accept);
    }
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  private static void await(Future<String> deployment) throws Exception {
    deployment.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The admin token when this start generated it (to be shown once), else null. */
  public String generatedAdminToken() {
    return adminToken.generated();
  }

  private void listen() {
    Router router = Router.router(vertx);
    router.route().handler(this::requestId);
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes()));
    router.get("/healthz").handler(ctx -> blocking(ctx, () -> health(ctx)));
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(OPENAPI));
    Console.mount(router);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.scrape()));
    router.route("/admin/*").handler(this::adminAuth);
    router.post("/admin/users").handler(ctx -> blocking(ctx, () -> admin.createUser(actor(ctx), json(ctx))));
    router.post("/admin/users/:uid/sessions").handler(ctx -> blocking(ctx, () -> admin.createSession(actor(ctx), ctx.pathParam("uid"), json(ctx))));
    router.put("/admin/users/:uid/pin").handler(ctx -> blocking(ctx, () -> admin.setPin(actor(ctx), ctx.pathParam("uid"), json(ctx))));
    router.delete("/admin/sessions/:sid").handler(ctx -> blocking(ctx, () -> admin.deleteSession(actor(ctx), ctx.pathParam("sid"))));
    router.post("/admin/oauth/authorizations").handler(ctx -> blocking(ctx, () -> admin.createAuthorization(actor(ctx), json(ctx))));
    router.delete("/admin/oauth/authorizations/:aid").handler(ctx -> blocking(ctx,
        () -> admin.deleteAuthorization(actor(ctx), ctx.pathParam("aid"))));
    router.post("/admin/service-keys").handler(ctx -> blocking(ctx, () -> admin.createServiceKey(actor(ctx), json(ctx))));
    router.delete("/admin/service-keys/:issuer/:kid").handler(ctx -> blocking(ctx,
        () -> admin.deleteServiceKey(actor(ctx), ctx.pathParam("issuer"), ctx.pathParam("kid"))));
    router.get("/admin/users").handler(ctx -> blocking(ctx, () -> admin.users(param(ctx, "name_prefix"), param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/users/:uid").handler(ctx -> blocking(ctx, () -> admin.user(ctx.pathParam("uid"), sessionUse.pending())));
    router.delete("/admin/users/:uid").handler(ctx -> blocking(ctx, () -> admin.deleteUser(actor(ctx), ctx.pathParam("uid"))));
    router.get("/admin/oauth/authorizations").handler(ctx -> blocking(ctx,
        () -> admin.authorizations(param(ctx, "user_id"), param(ctx, "app_id"), param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/service-keys").handler(ctx -> blocking(ctx, () -> admin.serviceKeys(param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/admin/stats").handler(ctx -> respond(ctx, Future.succeededFuture(stats())));
    router.get("/admin/audit").handler(ctx -> blocking(ctx, () -> admin.audit(param(ctx, "limit"), param(ctx, "cursor"))));
    router.get("/me").handler(ctx -> respond(ctx, authenticate(ctx, auth).map(Identity::describe)));
    router.get("/currentUser").handler(ctx -> respond(ctx, currentUser(ctx)));
    router.post("/getToken").handler(ctx -> {
      if (dpopNonces != null) {
        ctx.response().putHeader("DPoP-Nonce", dpopNonces.current());
      }
      String proof = ctx.request().getHeader("DPoP");
      String origin = origin(ctx);
      blocking(ctx, () -> graphene().login(ctx.body().buffer(), proof == null ? null : tokenEndpointProof(ctx, proof, origin)));
    });
    router.post("/pin/verify").handler(ctx -> respond(ctx, authenticate(ctx, auth).compose(p -> checkPin(ctx, p)).map(p -> Map.of("valid", true))));
    DecisionApi decisions = new DecisionApi(this::decide, trustedProxies,
        config.limits().maxHeaderBytes(), this::fail);
    JwksEndpoint.mount(router, vertx, identity.keys());
    router.route(DecisionApi.PREFIX).handler(decisions::forwarded);
    router.route(DecisionApi.PREFIX + "/*").handler(decisions::prefixed);
    for (GuardedRoute g : routes) {
      RouteProxy proxy = new RouteProxy(vertx, g.route(), config.limits().idleTimeoutSeconds());
      router.route(g.prefix() + "/*").handler(ctx -> {
        Buffer body = ctx.body().buffer();
        verifyAsRouted(ctx, g, ctx.request().method().name(), ctx.request().uri())
            .onSuccess(p -> proxy.forward(ctx, p, identity.issue(p, audience(g)), body)).onFailure(t -> fail(ctx, t));
      });
    }
    router.route().last().handler(ctx -> Envelope.error(ctx, 404, "not_found: no such endpoint"));
    router.errorHandler(405, ctx -> Envelope.error(ctx, 405, "method_not_allowed"));
    router.errorHandler(413, ctx -> Envelope.error(ctx, 413, "body_too_large: limit is " + config.limits().maxBodyBytes() + " bytes"));
    router.errorHandler(400, ctx -> Envelope.error(ctx, 400, "bad_request"));
    router.errorHandler(500, this::internalError);

    HttpServerOptions options = new HttpServerOptions()
        // No h2c upgrade: gateways (Caddy) pass a client's "Upgrade: h2c" on without its
        // HTTP2-Settings, which an upgrading server must refuse; served as HTTP/1.1 it just works.
        .setHttp2ClearTextEnabled(false)
        .setHost(config.host()).setPort(config.port())
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        .setIdleTimeout(config.limits().idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (tls != null) {
      tls.current().applyTo(options);
    }
    // One server per core on the same port, each on its own event loop: Vert.x spreads connections
    // across them, and signature checks run where the request arrived.
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Vert.x shares one socket among servers on the same explicit port, but gives each server its
    // own port for 0: so port 0 is first resolved to a free port (again if it is taken meanwhile).
    Exception last = null;
    for (int attempt = 0; attempt < (config.port() == 0 ? 5 : 1); attempt++) {
      HttpServerOptions bound = new HttpServerOptions(options).setPort(config.port() == 0 ? freePort(config.host()) : config.port());
      try {
        await(vertx.deployVerticle(() -> new HttpVerticle(bound, router, httpServers::add), new DeploymentOptions().setInstances(instances)));
        port = bound.getPort();
        last = null;
        break;
      } catch (Exception e) {
        last = e;
        vertx.deploymentIDs().forEach(id -> vertx.undeploy(id));
      }
    }
    if (last != null) {
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(last), last);
    }
    LOG.info("signet serve listening on {}:{} ({}; {} event loops on {}, Ed25519 by {}, data in {})", config.host(), port,
        tls == null ? "HTTP" : "HTTPS, " + tls.current().describe(), instances,
        vertx.isNativeTransportEnabled() ? "epoll" : "Java NIO", ed25519.description(), config.dataPath().toAbsolutePath());
    if (tls != null && config.tls().reloadSeconds() > 0) {
      vertx.setPeriodic(config.tls().reloadSeconds() * 1000L, t -> vertx.executeBlocking(() -> tls.reload(httpServers, "files changed"), false));
    }
  }

  // ---- handlers ----

  private void requestId(RoutingContext ctx) {
    String given = ctx.request().getHeader(X_REQUEST_ID);
    String id = given != null && REQUEST_ID.matcher(given).matches() ? given : newRequestId();
    ctx.response().putHeader(X_REQUEST_ID, id);
    ctx.next();
  }

  /** A random (version 4) UUID: unique, not secret, so no SecureRandom (and its lock) per request. */
  private static String newRequestId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }

  private void adminAuth(RoutingContext ctx) {
    if (config.admin().clientCertificates() && !hasClientCertificate(ctx)) {
      Envelope.error(ctx, 401, "admin client certificate required (signed by admin.client_ca)");
      return;
    }
    if (!adminToken.matches(ctx.request().getHeader("Authorization"))) {
      Envelope.error(ctx, 401, "admin token required");
      return;
    }
    ctx.next();
  }

  /** Who makes an admin change, for the audit log: the admin token's id, and the client certificate's subject when there is one. */
  private dev.signet.store.Records.Actor actor(RoutingContext ctx) {
    String who = adminToken.id();
    if (hasClientCertificate(ctx)) {
      try {
        java.security.cert.Certificate c = ctx.request().connection().peerCertificates().get(0);
        if (c instanceof java.security.cert.X509Certificate x) {
          who = who + ", certificate " + x.getSubjectX500Principal().getName();
        }
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        // checked just above: cannot happen
      }
    }
    io.vertx.core.net.SocketAddress from = ctx.request().remoteAddress();
    return new dev.signet.store.Records.Actor(who, from == null ? "unknown" : from.hostAddress(), clock.instant().getEpochSecond());
  }

  /** Whether the TLS client presented a certificate; the handshake has already validated it against admin.client_ca. */
  private static boolean hasClientCertificate(RoutingContext ctx) {
    if (!ctx.request().isSSL()) {
      return false;
    }
    try {
      return !ctx.request().connection().peerCertificates().isEmpty();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return false;
    }
  }

  private Map<String, Object> health(RoutingContext ctx) {
    boolean storeOk = store.healthy();
    boolean replayOk = redis == null || redis.healthy();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", storeOk && replayOk ? "ok" : "unavailable");
    out.put("store", storeOk ? "ok" : "unavailable");
    out.put("replay", replayOk ? "ok" : "unavailable");
    out.put("crypto", Map.of("ed25519", ed25519.id()));
    if (draining) {
      throw new ApiError(503, "unavailable: shutting down");
    }
    if (!storeOk || !replayOk) {
      throw new ApiError(503, "unavailable: " + (storeOk ? "" : "store ") + (replayOk ? "" : "replay"));
    }
    return out;
  }

  /** Warns once when the in-memory replay store passes 80% full, and again after it fell below 70%. */
  private static final class ReplayFill {
    private boolean warned;

    void check(int size, int capacity) {
      if (!warned && size >= capacity * 0.8) {
        warned = true;
        LOG.warn("replay store {}% full ({} of {} token ids): at 100% new tokens get 503; raise replay.capacity "
            + "or the heap (-Xmx), or shorten verification.acceptance_window", size * 100L / capacity, size, capacity);
      } else if (warned && size < capacity * 0.7) {
        warned = false;
        LOG.info("replay store back under 70% full ({} of {} token ids)", size, capacity);
      }
    }
  }

  /** A forwarded route with the authenticator that requires its scopes. */
  private record GuardedRoute(String prefix, ServerConfig.Route route, RequestAuthenticator auth) {
    boolean covers(String path) {
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  /**
   * Verifies a request for {@code method} and {@code target} as route {@code g} would (its scopes,
   * then its PIN check), or as {@code /me} does when {@code g} is null.
   */
  private Future<Principal> verifyAsRouted(RoutingContext ctx, GuardedRoute g, String method, String target) {
    Future<Principal> verified = authenticate(ctx, g == null ? auth : g.auth(), method, target);
    return g != null && g.route().pin() ? verified.compose(p -> checkPin(ctx, p)) : verified;
  }

  /** The decision API's check: as the route the target's path falls under, with an identity token for its upstream. */
  private Future<DecisionApi.Allowed> decide(RoutingContext ctx, String method, String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    GuardedRoute g = routes.stream().filter(r -> r.covers(path)).findFirst().orElse(null);
    return verifyAsRouted(ctx, g, method, target).map(p -> new DecisionApi.Allowed(p, identity.issue(p, audience(g))));
  }

  /** {@code identity.audience}, else the route's upstream, else (no route) the issuer itself. */
  private String audience(GuardedRoute g) {
    String configured = config.identity().audience();
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return g != null ? g.route().upstream() : config.identity().issuer();
  }

  /** Verifies the request's token (see {@link RequestAuthenticator}), counting the outcome. */
  private Future<Principal> authenticate(RoutingContext ctx, RequestAuthenticator with) {
    return authenticate(ctx, with, ctx.request().method().name(), ctx.request().uri());
  }

  /** The same, for a request checked as {@code method} and {@code target} (the decision API's). */
  private Future<Principal> authenticate(RoutingContext ctx, RequestAuthenticator with, String method, String target) {
    long start = System.nanoTime();
    Buffer body = ctx.body().buffer();
    io.vertx.core.MultiMap headers = ctx.request().headers();
    return with.authenticate(new dev.signet.verify.RequestView(method, target, origin(ctx), body == null ? new byte[0] : body.getBytes(),
        headers::getAll)).andThen(done -> {
          if (done.succeeded()) {
            count(done.result().scheme().wireName(), "ok", start);
            dev.signet.verify.Scheme scheme = done.result().scheme();
            if (scheme == dev.signet.verify.Scheme.MIXIN_BOT || scheme == dev.signet.verify.Scheme.HTTP_SIGNATURE) {
              sessionUse.used(done.result().sessionId());
            }
          } else if (done.cause() instanceof VerificationException e) {
            count(e.scheme() == null ? "unknown" : e.scheme().wireName(), e.failure().code(), start);
          }
        });
  }

  /**
   * {@code scheme://host[:port]} as clients address this server, for DPoP's {@code htu} and HTTP
   * signatures' {@code @target-uri}: {@code public_origin}; else, from a trusted proxy that sends
   * them, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (what a gateway's client
   * addressed); else this request's scheme and Host header (null without one).
   */
  private String origin(RoutingContext ctx) {
    if (!config.publicOrigin().isEmpty()) {
      return config.publicOrigin();
    }
    io.vertx.core.http.HttpServerRequest r = ctx.request();
    String forwardedHost = firstValue(r.getHeader("X-Forwarded-Host"));
    if (forwardedHost != null && FORWARDED_HOST.matcher(forwardedHost).matches()
        && trustedProxies.contains(r.remoteAddress() == null ? null : r.remoteAddress().hostAddress())) {
      String proto = firstValue(r.getHeader("X-Forwarded-Proto"));
      return ("https".equalsIgnoreCase(proto) ? "https://" : "http://") + forwardedHost;
    }
    String host = r.getHeader("Host");
    return host == null || host.isEmpty() ? null : (tls != null ? "https://" : "http://") + host;
  }

  private static final java.util.regex.Pattern FORWARDED_HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.\\[\\]:-]{1,255}");

  /** The first of a comma-separated header's values (proxies append theirs), trimmed; null for none. */
  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String v = (comma < 0 ? header : header.substring(0, comma)).strip();
    return v.isEmpty() ? null : v;
  }

  /** A DPoP proof sent to {@code /getToken}: checked and claimed; the thumbprint of its key. On a worker. */
  private String tokenEndpointProof(RoutingContext ctx, String proof, String origin) throws VerificationException {
    if (ctx.request().headers().getAll("DPoP").size() > 1) {
      throw new VerificationException(dev.signet.verify.Failure.DPOP_PROOF, "a request carries one DPoP header");
    }
    if (origin == null) {
      throw new VerificationException(dev.signet.verify.Failure.DPOP_PROOF, "the request has no Host to check htu against");
    }
    dev.signet.dpop.DpopVerifier.Checked c = dpop.check(proof, "POST", origin + "/getToken", null, null);
    dev.signet.verify.TokenChecks.singleUse(replay, c.replayId(), c.issuedAt(), c.until());
    return c.thumbprint();
  }

  /** A secret all nodes sharing the store share (created by the first), as bytes. */
  private byte[] sharedSecret(String name, SecureRandom random) {
    String value = store.secret(name).orElseGet(() -> {
      byte[] fresh = new byte[32];
      random.nextBytes(fresh);
      store.createSecret(name, dev.signet.codec.Base64Url.encode(fresh), clock.instant().getEpochSecond());
      return store.secret(name).orElseThrow();
    });
    return dev.signet.codec.Base64Url.decode(value);
  }

  /** The body's encrypted PIN, checked as {@code /pin/verify} does (a slow hash: on a worker). */
  private Future<Principal> checkPin(RoutingContext ctx, Principal p) {
    return vertx.executeBlocking(() -> {
      try {
        pins.verify(p, pinField(json(ctx)));
      } catch (ApiError | VerificationException e) {
        countPin(e.getMessage().replaceAll(":.*", ""));
        throw e;
      }
      countPin("ok");
      return p;
    }, false);
  }

  private void countPin(String outcome) {
    String o = outcome.matches("[a-z_]{1,32}") ? outcome : "other";
    pinChecks.computeIfAbsent(o, k -> Counter.builder("signet.pin.checks").description("PIN checks by outcome (ok or the refusal code)")
        .tag("outcome", k).register(metrics)).increment();
  }

  /**
   * {@code GET /admin/stats}: what the console plots, read once a second: counts since start by
   * scheme and outcome (the client takes differences), latency percentiles, replay store fill.
   */
  private Map<String, Object> stats() {
    List<Map<String, Object>> counts = new ArrayList<>();
    verifications.values().forEach(c -> counts.add(Map.of("scheme", c.getId().getTag("scheme"), "outcome", c.getId().getTag("outcome"),
        "count", (long) c.count())));
    Map<String, Object> latency = new LinkedHashMap<>();
    for (io.micrometer.core.instrument.distribution.ValueAtPercentile v : verificationTime.takeSnapshot().percentileValues()) {
      latency.put(v.percentile() == 0.5 ? "p50_ms" : "p99_ms", v.value(TimeUnit.NANOSECONDS) / 1e6);
    }
    Map<String, Object> replayFill = new LinkedHashMap<>();
    replayFill.put("type", config.replay().type());
    if (replay instanceof InMemoryReplayStore m) {
      replayFill.put("entries", m.size());
      replayFill.put("capacity", m.capacity());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at_ms", clock.millis());
    out.put("verifications", counts);
    out.put("latency", latency);
    out.put("replay", replayFill);
    out.put("store", Map.of("type", config.store().type(), "up", storeUp));
    out.put("crypto", Map.of("ed25519", ed25519.id()));
    return out;
  }

  private void count(String scheme, String outcome, long startNanos) {
    verifications.computeIfAbsent(scheme + " " + outcome, k -> Counter.builder("signet.verifications")
        .description("verifications by scheme and outcome").tag("scheme", scheme).tag("outcome", outcome).register(metrics)).increment();
    verificationTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private GrapheneLogins graphene() {
    if (graphene == null) {
      throw ApiError.notFound("not_found: Graphene logins are off (graphene.auth_identifier is not set)");
    }
    return graphene;
  }

  /** Without a token: what a client needs to log in. With an access token: who is logged in. */
  private Future<Map<String, Object>> currentUser(RoutingContext ctx) {
    if (ctx.request().getHeader("Authorization") == null) {
      try {
        return Future.succeededFuture(graphene().status());
      } catch (ApiError e) {
        return Future.failedFuture(e);
      }
    }
    return authenticate(ctx, auth).map(SignetServer::loggedIn);
  }

  private static Map<String, Object> loggedIn(Principal p) {
    if (p.scheme() != dev.signet.verify.Scheme.GRAPHENE) {
      throw new ApiError(400, "bad_request: /currentUser takes a Graphene access token");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("logged_in", true);
    out.put("user", p.userId());
    out.put("link", p.attributes().get("link"));
    out.put("network", p.attributes().get("network"));
    out.put("expires_at", p.expiresAt().getEpochSecond());
    return out;
  }

  private static String pinField(ObjectNode body) {
    com.fasterxml.jackson.databind.JsonNode pin = body.get("pin");
    if (pin == null || !pin.isTextual() || pin.textValue().isEmpty()) {
      throw ApiError.badRequest("pin_malformed: body must be {\"pin\": \"<encrypted PIN>\"}");
    }
    return pin.textValue();
  }

  /** A query parameter; given twice is a 400, not a silent pick of one. */
  private static String param(RoutingContext ctx, String name) {
    List<String> all = ctx.queryParam(name);
    if (all.size() > 1) {
      throw ApiError.badRequest(name + " is given more than once");
    }
    return all.isEmpty() ? null : all.get(0);
  }

  private static ObjectNode json(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    return AdminApi.body(b == null ? new byte[0] : b.getBytes());
  }

  /** Store access and slow hashes block: run them on the worker pool, unordered. */
  private void blocking(RoutingContext ctx, Callable<Object> work) {
    respond(ctx, vertx.executeBlocking(work, false));
  }

  private void respond(RoutingContext ctx, Future<?> result) {
    result.onSuccess(data -> Envelope.data(ctx, data)).onFailure(t -> fail(ctx, t));
  }

  /** Typed refusals become their envelope; anything else is an internal error (logged, not shown). */
  private void fail(RoutingContext ctx, Throwable t) {
    if (t instanceof VerificationException v) {
      int status = v.failure().httpStatus();
      if (v.failure() == dev.signet.verify.Failure.DPOP_PROOF || v.failure() == dev.signet.verify.Failure.DPOP_NONCE) {
        // RFC 9449 sections 7.1 and 8 (the token endpoint answers a missing nonce with 400).
        ctx.response().putHeader("WWW-Authenticate", "DPoP algs=\"EdDSA Ed25519 ES256 RS256 PS256\", error=\"" + v.failure().code() + "\"");
        if (dpopNonces != null) {
          ctx.response().putHeader("DPoP-Nonce", dpopNonces.current());
        }
        if (v.failure() == dev.signet.verify.Failure.DPOP_NONCE && ctx.request().path().equals("/getToken")) {
          status = 400;
        }
      }
      Envelope.error(ctx, status, v.getMessage());
    } else if (t instanceof ApiError a) {
      Envelope.error(ctx, a.status(), a.getMessage());
    } else if (t instanceof StoreException) {
      LOG.warn("store unavailable: {}", rootMessage(t));
      Envelope.error(ctx, 503, "unavailable: store");
    } else {
      ctx.fail(t);
    }
  }

  private void internalError(RoutingContext ctx) {
    LOG.error("internal error on {} {} (request {})", ctx.request().method(), ctx.request().path(),
        ctx.response().headers().get("X-Request-Id"), ctx.failure());
    Envelope.error(ctx, 500, "internal error");
  }

  private static Buffer resource(String name) {
    try (java.io.InputStream in = SignetServer.class.getResourceAsStream(name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("bundled " + name + " is missing", e);
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** SIGHUP: re-reads the TLS files now (a no-op without TLS or when they did not change). */
  public void reloadTls() {
    if (tls == null) {
      LOG.info("reload asked for: TLS is off (tls.cert is not set), nothing to reload");
      return;
    }
    tls.reload(httpServers, "SIGHUP");
  }

  /**
   * SIGTERM: {@code /healthz} fails for {@code shutdown.drain_seconds} while requests are still
   * served, then the servers stop accepting and each connection closes once its request in flight
   * is answered (at most {@code shutdown.grace_seconds}), then Redis and the store close. A token
   * claimed during the shutdown still gets its answer: nothing it needs closes before the servers.
   */
  public void shutdown() {
    ServerConfig.Shutdown s = config.shutdown();
    draining = true;
    LOG.info("shutting down: /healthz fails for {} s, then requests in flight get up to {} s", s.drainSeconds(), s.graceSeconds());
    try {
      Thread.sleep(s.drainSeconds() * 1000L);
      List<java.util.concurrent.CompletableFuture<Void>> done = httpServers.stream()
          .map(h -> h.shutdown(Duration.ofSeconds(s.graceSeconds())).toCompletionStage().toCompletableFuture()).toList();
      java.util.concurrent.CompletableFuture.allOf(done.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(s.graceSeconds() + 10L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("graceful shutdown did not finish: {}", rootMessage(e));
    }
    close();
    LOG.info("stopped");
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (redis != null) {
        redis.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the HTTP server: {}", rootMessage(e));
    } finally {
      jvmGc.close();
      sessionUse.flush();
      store.close();
    }
  }
}
