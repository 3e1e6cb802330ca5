package dev.signet.server.auth;

import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimiter;
import dev.signet.replay.ReplayStore;
import dev.signet.server.replay.DurableClaims;
import dev.signet.server.replay.RedisReplayStore;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RequestView;
import dev.signet.verify.VerificationException;
import dev.signet.verify.WouldBlock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;

/**
 * Verifies a request's bearer token under one policy, on the event loop that received it when its
 * key is cached: the signature check is CPU work, and handing it to a worker and back costs more
 * than it saves. A key that is not cached (or a JWKS that must be fetched) is read, and the token
 * checked, on a worker. The replay claim and the rate limits are then one step back on the loop:
 * one Redis script call without blocking, or this node's memory directly.
 */
public final class RequestAuthenticator {
  /** A verified, claimed credential and what the rate limits said of it. */
  public record Admitted(Principal principal, RateLimitOutcome limits) {}

  private final Vertx vertx;
  private final BearerAuthenticator inline;
  private final BearerAuthenticator blocking;
  private final ReplayStore replay;
  private final RedisReplayStore redisReplay;
  private final RateLimiter memoryLimits;

  /**
   * @param nonBlockingKeys the keys of {@code auth} as a view that throws {@link WouldBlock} rather
   *     than wait for a store or a JWKS fetch
   * @param redisReplay the same store as {@code replay} when it is Redis (which then keeps the rate
   *     limits too), else null
   * @param memoryLimits the rate limits' state when {@code redisReplay} is null
   */
  public RequestAuthenticator(Vertx vertx, BearerAuthenticator auth, KeyResolver nonBlockingKeys, ReplayStore replay,
      RedisReplayStore redisReplay, RateLimiter memoryLimits) {
    this.vertx = vertx;
    this.inline = auth.withKeys(nonBlockingKeys);
    this.blocking = auth;
    this.replay = replay;
    this.redisReplay = redisReplay;
    this.memoryLimits = memoryLimits;
  }

  /**
   * Call on the event loop; the future fails with {@link VerificationException} for a refused
   * request. {@code request} is authenticated by its token, or by its HTTP message signature;
   * {@code charges} names what its principal counts against once its token is claimed.
   */
  public Future<Admitted> authenticate(RequestView request, Function<Principal, List<Charge>> charges) {
    Future<CheckedToken> checked;
    try {
      checked = Future.succeededFuture(inline.check(request));
    } catch (WouldBlock e) {
      checked = vertx.executeBlocking(() -> blocking.check(request), false);
    } catch (VerificationException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    return checked.compose(token -> admit(token, charges.apply(token.principal())));
  }

  private Future<Admitted> admit(CheckedToken token, List<Charge> charges) {
    Principal p = token.principal();
    if (redisReplay != null) {
      if (token.replayId() == null) {
        return redisReplay.limitAsync(charges).map(limits -> new Admitted(p, limits));
      }
      return redisReplay.claimAsync(token.replayId(), token.issuedAt(), token.replayUntil(), charges).compose(claim -> {
        try {
          return Future.succeededFuture(new Admitted(token.afterClaim(claim.firstUse()), claim.limits()));
        } catch (VerificationException e) {
          return Future.failedFuture(e);
        }
      });
    }
    if (token.replayId() != null && replay instanceof DurableClaims durable && durable.writes(token.issuedAt())) {
      // A claim the store must record too (a future-dated token): written on a worker.
      return vertx.executeBlocking(() -> token.consume(replay), false).compose(claimed -> admitted(claimed, charges));
    }
    try {
      return admitted(token.consume(replay), charges);
    } catch (VerificationException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Admitted> admitted(Principal claimed, List<Charge> charges) {
    try {
      return Future.succeededFuture(new Admitted(claimed, charges.isEmpty() ? RateLimitOutcome.NONE : memoryLimits.acquire(charges)));
    } catch (VerificationException e) {
      return Future.failedFuture(e);
    }
  }
}
