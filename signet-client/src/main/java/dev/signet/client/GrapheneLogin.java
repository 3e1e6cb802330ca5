package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.scheme.graphene.GraphenePayload;
import dev.signet.scheme.graphene.GrapheneSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Graphene logins for a {@link SignetClient}: reads the chain head, signs a payload over it, trades
 * it at {@code /getToken} for an access token, and renews that token before it expires. Concurrent
 * callers share one login in flight.
 */
final class GrapheneLogin {
  /** An access token and when it stops working. */
  record AccessToken(String token, Instant expiresAt) {}

  private final Credentials.Graphene credentials;
  private final GrapheneRpc rpc;
  private final Clock clock;
  private final Duration renewBefore;
  private final SignetClient client;
  private final AtomicReference<CompletableFuture<AccessToken>> current = new AtomicReference<>();

  GrapheneLogin(Credentials.Graphene credentials, GrapheneRpc rpc, Clock clock, Duration renewBefore, SignetClient client) {
    this.credentials = credentials;
    this.rpc = rpc;
    this.clock = clock;
    this.renewBefore = renewBefore;
    this.client = client;
  }

  CompletableFuture<String> accessToken() {
    while (true) {
      CompletableFuture<AccessToken> f = current.get();
      if (f != null && (!f.isDone() || usable(f))) {
        return f.thenApply(AccessToken::token);
      }
      CompletableFuture<AccessToken> fresh = new CompletableFuture<>();
      if (current.compareAndSet(f, fresh)) {
        login().whenComplete((t, e) -> {
          if (e != null) {
            fresh.completeExceptionally(e);
          } else {
            fresh.complete(t);
          }
        });
        return fresh.thenApply(AccessToken::token);
      }
    }
  }

  private boolean usable(CompletableFuture<AccessToken> f) {
    if (f.isCompletedExceptionally()) {
      return false;
    }
    return clock.instant().isBefore(f.join().expiresAt().minus(renewBefore));
  }

  private CompletableFuture<AccessToken> login() {
    CompletableFuture<String> authId = credentials.authIdentifier() != null
        ? CompletableFuture.completedFuture(credentials.authIdentifier())
        : client.exchange(new SignetClient.Call("GET", "/currentUser", new byte[0], "application/json", false), 0)
            .thenApply(ex -> client.data(ex).path("auth_identifier").asText(""));
    return authId.thenCompose(id -> CompletableFuture.supplyAsync(() -> {
      if (id.isEmpty()) {
        throw new ApiException(200, 200, "server did not say its auth_identifier", null, null);
      }
      GrapheneRpc.Head head = rpc.head();
      return new GrapheneSigner(credentials.postingKey())
          .sign(credentials.user(), credentials.link(), id, credentials.network(), head.number(), head.id());
    })).thenCompose(this::trade);
  }

  private CompletableFuture<AccessToken> trade(GraphenePayload payload) {
    byte[] body = payload.encode().getBytes(StandardCharsets.US_ASCII);
    return client.exchange(new SignetClient.Call("POST", "/getToken", body, "text/plain", false), 0).thenApply(ex -> {
      JsonNode data = client.data(ex);
      String token = data.path("access_token").asText("");
      if (token.isEmpty()) {
        throw new ApiException(ex.status(), ex.status(), "getToken returned no access_token", ex.requestId(), null);
      }
      return new AccessToken(token, expiry(data.get("expires_at"), ex.requestId()));
    });
  }

  /** {@code expires_at} as unix seconds (number or digits) or an ISO-8601 instant. */
  private static Instant expiry(JsonNode v, String requestId) {
    try {
      if (v != null && v.isIntegralNumber()) {
        return Instant.ofEpochSecond(v.longValue());
      }
      if (v != null && v.isTextual()) {
        String s = v.textValue();
        return s.matches("[0-9]+") ? Instant.ofEpochSecond(Long.parseLong(s)) : Instant.parse(s);
      }
    } catch (RuntimeException e) {
      // Fall through to the error below.
    }
    throw new ApiException(200, 200, "getToken returned no readable expires_at", requestId, null);
  }
}
