package dev.signet.server.auth;

import dev.signet.replay.ReplayStore;
import dev.signet.server.admin.SessionUse;
import dev.signet.server.limits.RateLimits;
import dev.signet.server.limits.RefusalThrottle;
import dev.signet.server.limits.ThrottleGate;
import dev.signet.server.replay.RedisReplayStore;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RequestView;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The one path every face verifies a request by: the credential checked by the core verifier, the
 * outcome counted, a session's use noted. {@code /me}, PIN checks, Graphene logins, routes and the
 * decision API all come through here.
 */
public final class Authentication {
  private final Vertx vertx;
  private final BearerAuthenticator core;
  private final KeyResolver nonBlockingKeys;
  private final ReplayStore replay;
  private final RedisReplayStore redisReplay;
  private final Verifications verifications;
  private final SessionUse sessionUse;
  private final Origins origins;
  private final RequestAuthenticator standard;
  private final RefusalThrottle throttle;
  private final RateLimits rateLimits;

  /**
   * @param core the verifier under the server's policy, with no required scope
   * @param nonBlockingKeys its keys as a view that never waits (see {@link RequestAuthenticator})
   * @param redisReplay the same store as {@code replay} when it is Redis, else null
   */
  public Authentication(Vertx vertx, BearerAuthenticator core, KeyResolver nonBlockingKeys, ReplayStore replay,
      RedisReplayStore redisReplay, Verifications verifications, SessionUse sessionUse, Origins origins, RefusalThrottle throttle,
      RateLimits rateLimits) {
    this.vertx = vertx;
    this.core = core;
    this.nonBlockingKeys = nonBlockingKeys;
    this.replay = replay;
    this.redisReplay = redisReplay;
    this.verifications = verifications;
    this.sessionUse = sessionUse;
    this.origins = origins;
    this.throttle = throttle;
    this.rateLimits = rateLimits;
    this.standard = new RequestAuthenticator(vertx, core, nonBlockingKeys, replay, redisReplay, rateLimits.memory());
  }

  /** Requires no scope: {@code /me}'s, {@code /pin/verify}'s and {@code /currentUser}'s. */
  public RequestAuthenticator standard() {
    return standard;
  }

  /** Requires {@code scopes}, checked before the token is consumed (a route's). */
  public RequestAuthenticator requiring(Set<String> scopes) {
    return new RequestAuthenticator(vertx, core.withRequiredScopes(scopes), nonBlockingKeys, replay, redisReplay, rateLimits.memory());
  }

  public Origins origins() {
    return origins;
  }

  /** Verifies the request as it arrived. */
  public Future<Principal> authenticate(RoutingContext ctx, RequestAuthenticator with) {
    return authenticate(ctx, with, ctx.request().method().name(), ctx.request().uri());
  }

  /** Verifies the request as if it were {@code method} {@code target} (the decision API's), counting the outcome. */
  public Future<Principal> authenticate(RoutingContext ctx, RequestAuthenticator with, String method, String target) {
    // A throttled address never gets here: ThrottleGate, ahead of every verifying path, refused it.
    String client = ThrottleGate.client(ctx);
    long start = System.nanoTime();
    Buffer body = ctx.body().buffer();
    MultiMap headers = ctx.request().headers();
    return with.authenticate(new RequestView(method, target, origins.of(ctx), body == null ? new byte[0] : body.getBytes(),
        headers::getAll), p -> rateLimits.charges(p, target, client)).andThen(done -> {
          if (done.succeeded()) {
            Scheme scheme = done.result().principal().scheme();
            verifications.record(scheme.wireName(), "ok", start);
            if (scheme == Scheme.MIXIN_BOT || scheme == Scheme.HTTP_SIGNATURE) {
              sessionUse.used(done.result().principal().sessionId());
            }
          } else if (done.cause() instanceof VerificationException e) {
            verifications.record(e.scheme() == null ? "unknown" : e.scheme().wireName(), e.failure().code(), start);
            if (RefusalThrottle.counts(e.failure())) {
              throttle.refused(client);
            }
          }
        }).map(admitted -> {
          // Counted with the claim: a forged or replayed token never spends anyone's quota.
          rateLimits.apply(admitted.limits(), ctx.response());
          return admitted.principal();
        });
  }
}
