package dev.signet.server;

import dev.signet.dpop.DpopNonces;
import dev.signet.dpop.DpopVerifier;
import dev.signet.keys.Ed25519Provider;
import dev.signet.limits.InMemoryRateLimiter;
import dev.signet.server.admin.AdminApi;
import dev.signet.server.admin.AdminEndpoints;
import dev.signet.server.admin.AdminToken;
import dev.signet.server.admin.SessionUse;
import dev.signet.server.auth.Authentication;
import dev.signet.server.auth.MeEndpoint;
import dev.signet.server.auth.Origins;
import dev.signet.server.auth.Policies;
import dev.signet.server.auth.SharedSecrets;
import dev.signet.server.auth.Verifications;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.console.Console;
import dev.signet.server.crypto.Ed25519Choice;
import dev.signet.server.decisions.DecisionApi;
import dev.signet.server.graphene.GrapheneEndpoints;
import dev.signet.server.graphene.GrapheneLogins;
import dev.signet.server.health.HealthEndpoints;
import dev.signet.server.health.ServerMetrics;
import dev.signet.server.health.Stats;
import dev.signet.server.http.Face;
import dev.signet.server.http.Fallbacks;
import dev.signet.server.http.Listener;
import dev.signet.server.http.Replies;
import dev.signet.server.http.RequestIds;
import dev.signet.server.http.TrustedProxies;
import dev.signet.server.identity.IdentityKeys;
import dev.signet.server.identity.IdentityTokens;
import dev.signet.server.identity.JwksEndpoint;
import dev.signet.server.jwks.ServiceIssuers;
import dev.signet.server.limits.ClientAddresses;
import dev.signet.server.limits.RateLimits;
import dev.signet.server.limits.RefusalThrottle;
import dev.signet.server.limits.ThrottleGate;
import dev.signet.server.pin.PinAttempts;
import dev.signet.server.pin.PinEndpoint;
import dev.signet.server.pin.PinService;
import dev.signet.server.pin.StorePinAttempts;
import dev.signet.server.proxy.ProxyEndpoints;
import dev.signet.server.proxy.Routes;
import dev.signet.server.redis.RedisPinAttempts;
import dev.signet.server.replay.ReplayBackend;
import dev.signet.server.tls.TlsReloader;
import dev.signet.server.websocket.WebSocketEndpoints;
import dev.signet.store.JdbcStore;
import dev.signet.store.Store;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.VerifierPolicy;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code signet serve}: builds the parts from the configuration and wires them; each face (a
 * package under {@code dev.signet.server}) mounts its own routes.
 */
public final class SignetServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SignetServer.class);

  private final ServerConfig config;
  private final Vertx vertx;
  private final Store store;
  private final ServerMetrics serverMetrics = new ServerMetrics();
  /** HTTPS material and its reloads; null when tls.cert is not set. */
  private final TlsReloader tls;
  private final AdminToken adminToken;
  private final Ed25519Provider ed25519;
  private final ReplayBackend replay;
  private final SessionUse sessionUse;
  private final HealthEndpoints health;
  private final WebSocketEndpoints webSockets;
  private final ThrottleGate throttleGate;
  /** In the order they mount: a face's routes come before those of the faces after it. */
  private final List<Face> faces;
  private final Router router;
  /** One per event loop, for TLS reloads and graceful shutdown. */
  private final List<HttpServer> httpServers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private int port;

  private SignetServer(ServerConfig config, Clock clock, String adminTokenFromEnv) {
    this.config = config;
    SecureRandom random = new SecureRandom();
    ServerConfig.Store sc = config.store();
    this.store = sc.type().equals("postgres") ? JdbcStore.postgres(sc.url(), sc.user(), sc.password(), sc.schema())
        : JdbcStore.embedded(config.dataPath());
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    this.router = Router.router(vertx);
    PrometheusMeterRegistry metrics = serverMetrics.registry();
    ReplayBackend opened = null;
    try {
      this.tls = TlsReloader.of(config, clock);
      this.adminToken = AdminToken.load(adminTokenFromEnv, store, config.dataPath(), clock, random);
      this.ed25519 = Ed25519Choice.select(config.crypto().ed25519Choice(), metrics);
      StoreKeyResolver keys = new StoreKeyResolver(store, clock, Duration.ofSeconds(config.keys().cacheSeconds()), ed25519);
      ServiceIssuers.VerifyKeys verifyKeys = ServiceIssuers.verifyKeys(keys, config.service(), clock, vertx, ed25519, metrics);
      this.replay = opened = ReplayBackend.open(config.replay(), vertx, clock, metrics, store,
          Duration.ofSeconds(config.verification().clockSkew()));
      PinAttempts pinAttempts = replay.redis() != null
          ? new RedisPinAttempts(replay.redis(), config.replay().prefix(), clock, config.pin().maxFailures(), config.pin().lockSeconds())
          : new StorePinAttempts(store, clock, config.pin());
      // A replay cache in memory: tokens issued before this start are refused (restart safety).
      VerifierPolicy policy = Policies.from(config).restartSafe(replay.unwrapped(), clock);
      GrapheneLogins graphene = config.graphene().enabled()
          ? GrapheneLogins.create(config, store, replay.graphene(), clock, random, ed25519) : null;
      DpopNonces dpopNonces = config.dpop().nonce()
          ? new DpopNonces(SharedSecrets.get(store, "dpop_nonce_key", clock, random), clock, Duration.ofMinutes(5)) : null;
      DpopVerifier dpop = new DpopVerifier(clock, policy, ed25519, dpopNonces);
      BearerAuthenticator core = new BearerAuthenticator(verifyKeys.keys(), replay.store(), clock, policy,
          graphene == null ? null : graphene.accessTokens(), dpop).withSignatureComponents(config.httpSignatures().requiredComponents());
      this.sessionUse = new SessionUse(store, clock).flushingEvery60s(vertx);
      Verifications verifications = new Verifications(metrics);
      TrustedProxies trustedProxies = TrustedProxies.parse(config.decisions().trustedProxies());
      RefusalThrottle throttle =
          new RefusalThrottle(config.abuse().maxRefusals(), config.abuse().windowSeconds(), config.abuse().maxAddresses(), clock, metrics);
      // Rate limits are counted where replay ids are claimed: in Redis with the claim, or in this node's memory.
      RateLimits rateLimits =
          new RateLimits(config.rateLimitRules(), replay.redisStore() == null ? new InMemoryRateLimiter(clock, 1_000_000) : null, metrics);
      this.throttleGate = new ThrottleGate(throttle, new ClientAddresses(trustedProxies));
      Authentication auth = new Authentication(vertx, core, verifyKeys.nonBlocking(), replay.store(), replay.redisStore(), verifications,
          sessionUse, new Origins(config.publicOrigin(), trustedProxies, tls != null), throttle, rateLimits);
      Replies replies = new Replies(vertx, dpopNonces);
      ServerConfig.Identity id = config.identity();
      IdentityTokens identity = new IdentityTokens(new IdentityKeys(store, clock, Duration.ofSeconds(id.rotationSeconds()), random, ed25519),
          id.issuer(), Duration.ofSeconds(id.ttlSeconds()), clock);
      PinEndpoint pin = new PinEndpoint(vertx, new PinService(store, clock, config.verification().acceptanceWindow(), pinAttempts), auth,
          replies, metrics);
      Routes routes = new Routes(config.routes(), auth, pin, identity, id);
      this.health = new HealthEndpoints(vertx, store, sc.type(), replay.redis(), config.replay().type(), ed25519.id(), metrics);
      this.webSockets = new WebSocketEndpoints(vertx, routes, replies, config.websocket(), config.limits().idleTimeoutSeconds(),
          verifyKeys.keys(), clock, metrics);
      Stats stats = new Stats(clock, verifications, replay.unwrapped(), config.replay().type(), sc.type(), health::storeUp, ed25519.id(),
          webSockets::openByScheme, () -> {
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("rate_limited", rateLimits.limitedCounts());
            limits.putAll(throttle.snapshot());
            return limits;
          });
      this.faces = List.of(
          health,
          new Console(),
          new AdminEndpoints(new AdminApi(store, keys, clock, random, pinAttempts), adminToken, config.admin().clientCertificates(),
              sessionUse, clock, replies, stats::snapshot),
          new MeEndpoint(auth, replies),
          new GrapheneEndpoints(graphene, auth, dpop, replay.store(), replies),
          pin,
          new JwksEndpoint(vertx, identity.keys()),
          new DecisionApi(routes, trustedProxies, config.limits().maxHeaderBytes(), replies::fail),
          webSockets,
          new ProxyEndpoints(vertx, routes, config.limits().idleTimeoutSeconds(), replies),
          new Fallbacks(config.limits().maxBodyBytes()));
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      vertx.close();
      serverMetrics.close();
      store.close();
      throw e;
    }
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

  /** The admin token when this start generated it (to be shown once), else null. */
  public String generatedAdminToken() {
    return adminToken.generated();
  }

  /** Every route the faces mounted, for the test that holds them to {@code openapi.json}. */
  Router router() {
    return router;
  }

  private void listen() {
    router.route().handler(RequestIds::handle);
    router.route().handler(throttleGate);
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes());
    // An upgrade's request must stay unread for the handshake (some clients send Content-Length: 0).
    router.route().handler(ctx -> {
      if (WebSocketEndpoints.isUpgrade(ctx.request())) {
        ctx.next();
      } else {
        bodies.handle(ctx);
      }
    });
    faces.forEach(f -> f.mount(router));
    Listener.Bound bound = Listener.listen(vertx, router, config, tls, httpServers::add);
    port = bound.port();
    LOG.info("signet serve listening on {}:{} ({}; {} event loops on {}, Ed25519 by {}, data in {})", config.host(), port,
        tls == null ? "HTTP" : "HTTPS, " + tls.current().describe(), bound.eventLoops(),
        vertx.isNativeTransportEnabled() ? "epoll" : "Java NIO", ed25519.description(), config.dataPath().toAbsolutePath());
    if (tls != null && config.tls().reloadSeconds() > 0) {
      vertx.setPeriodic(config.tls().reloadSeconds() * 1000L, t -> vertx.executeBlocking(() -> tls.reload(httpServers, "files changed"), false));
    }
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
   * served, then relayed WebSocket connections are closed with 1001, the servers stop accepting and
   * each connection closes once its request in flight is answered (at most
   * {@code shutdown.grace_seconds}), then Redis and the store close. A token
   * claimed during the shutdown still gets its answer: nothing it needs closes before the servers.
   */
  public void shutdown() {
    ServerConfig.Shutdown s = config.shutdown();
    health.drain();
    LOG.info("shutting down: /healthz fails for {} s, then requests in flight get up to {} s", s.drainSeconds(), s.graceSeconds());
    try {
      Thread.sleep(s.drainSeconds() * 1000L);
      webSockets.closeAll(Math.min(5_000L, s.graceSeconds() * 1000L));
      List<CompletableFuture<Void>> done = httpServers.stream()
          .map(h -> h.shutdown(Duration.ofSeconds(s.graceSeconds())).toCompletionStage().toCompletableFuture()).toList();
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(s.graceSeconds() + 10L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("graceful shutdown did not finish: {}", Replies.rootMessage(e));
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
      replay.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the HTTP server: {}", Replies.rootMessage(e));
    } finally {
      serverMetrics.close();
      sessionUse.flush();
      store.close();
    }
  }
}
