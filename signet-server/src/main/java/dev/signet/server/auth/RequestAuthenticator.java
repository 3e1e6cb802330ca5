package dev.signet.server.auth;

import dev.signet.replay.ReplayStore;
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

/**
 * Verifies a request's bearer token under one policy, on the event loop that received it when its
 * key is cached: the signature check is CPU work, and handing it to a worker and back costs more
 * than it saves. The replay claim is then the one asynchronous step (Redis without blocking; the
 * in-memory store directly). A key that is not cached (or a JWKS that must be fetched) is read,
 * and the token checked, on a worker.
 */
public final class RequestAuthenticator {
  private final Vertx vertx;
  private final BearerAuthenticator inline;
  private final BearerAuthenticator blocking;
  private final ReplayStore replay;
  private final RedisReplayStore redisReplay;

  /**
   * @param nonBlockingKeys the keys of {@code auth} as a view that throws {@link WouldBlock} rather
   *     than wait for a store or a JWKS fetch
   * @param redisReplay the same store as {@code replay} when it is Redis, else null
   */
  public RequestAuthenticator(Vertx vertx, BearerAuthenticator auth, KeyResolver nonBlockingKeys, ReplayStore replay,
      RedisReplayStore redisReplay) {
    this.vertx = vertx;
    this.inline = auth.withKeys(nonBlockingKeys);
    this.blocking = auth;
    this.replay = replay;
    this.redisReplay = redisReplay;
  }

  /**
   * Call on the event loop; the future fails with {@link VerificationException} for a refused
   * request. {@code request} is authenticated by its token, or by its HTTP message signature.
   */
  public Future<Principal> authenticate(RequestView request) {
    try {
      return claim(inline.check(request));
    } catch (WouldBlock e) {
      return vertx.executeBlocking(() -> blocking.check(request).consume(replay), false);
    } catch (VerificationException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Principal> claim(CheckedToken token) throws VerificationException {
    if (token.replayId() == null || redisReplay == null) {
      return Future.succeededFuture(token.consume(replay));
    }
    return redisReplay.firstUseAsync(token.replayId(), token.issuedAt(), token.replayUntil()).compose(first -> {
      try {
        return Future.succeededFuture(token.afterClaim(first));
      } catch (VerificationException e) {
        return Future.failedFuture(e);
      }
    });
  }
}
