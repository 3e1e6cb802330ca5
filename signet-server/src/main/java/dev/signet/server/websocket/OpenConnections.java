package dev.signet.server.websocket;

import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.VerificationException;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every relayed connection on this node, swept once a second: one past
 * {@code websocket.max_connection_seconds} is closed, one with no frame either way for
 * {@code websocket.idle_timeout_seconds} too, and so is one whose credential no longer
 * stands (its session, user, OAuth authorization or service key removed, on any node: seen through
 * the key resolver, so within {@code keys.cache_seconds}).
 */
final class OpenConnections {
  private static final Logger LOG = LoggerFactory.getLogger(OpenConnections.class);
  private static final int POLICY_VIOLATION = 1008;
  private static final int GOING_AWAY = 1001;

  private final Vertx vertx;
  private final KeyResolver keys;
  private final Clock clock;
  private final long maxLifeMillis;
  private final int idleSeconds;
  private final Set<Relay> open = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  OpenConnections(Vertx vertx, KeyResolver keys, Clock clock, long maxConnectionSeconds, int idleTimeoutSeconds) {
    this.vertx = vertx;
    this.keys = keys;
    this.clock = clock;
    this.maxLifeMillis = maxConnectionSeconds * 1000;
    this.idleSeconds = idleTimeoutSeconds;
    vertx.setPeriodic(1000, t -> sweep());
  }

  void add(Relay relay) {
    open.add(relay);
  }

  /** The relay's both sockets are closed. */
  void remove(Relay relay) {
    open.remove(relay);
  }

  int size() {
    return open.size();
  }

  /** SIGTERM, after the drain: every connection closed with 1001. */
  void closeAll() {
    open.forEach(r -> r.close(GOING_AWAY, "server shutting down", CloseReason.SHUTDOWN));
  }

  private void sweep() {
    if (open.isEmpty() || !sweeping.compareAndSet(false, true)) {
      return;
    }
    long now = clock.millis();
    List<Relay> snapshot = List.copyOf(open);
    for (Relay r : snapshot) {
      if (now - r.openedAtMillis() >= maxLifeMillis) {
        r.close(GOING_AWAY, "connection lifetime over", CloseReason.MAX_LIFETIME);
      } else if (now - r.lastActivityMillis() >= idleSeconds * 1000L) {
        r.close(GOING_AWAY, "idle for " + idleSeconds + " s", CloseReason.IDLE);
      }
    }
    // Resolving may read the store (a key whose cache entry has expired): off the event loop.
    vertx.executeBlocking(() -> {
      Map<KeyRef, Boolean> standing = new HashMap<>();
      for (Relay r : snapshot) {
        Optional<KeyRef> ref = r.principal().keyRef();
        if (ref.isPresent() && !standing.computeIfAbsent(ref.get(), this::stands)) {
          r.close(POLICY_VIOLATION, "revoked: " + what(r.principal()) + " no longer stands", CloseReason.REVOKED);
        }
      }
      return null;
    }, false).onComplete(done -> sweeping.set(false));
  }

  /** A key the store cannot be asked about now counts as standing: an outage does not cut every connection. */
  private boolean stands(KeyRef ref) {
    try {
      return keys.resolve(ref).isPresent();
    } catch (VerificationException | RuntimeException e) {
      LOG.warn("cannot check whether a WebSocket connection's key still stands: {}", e.getMessage());
      return true;
    }
  }

  private static String what(Principal p) {
    return switch (p.scheme()) {
      case MIXIN_BOT, HTTP_SIGNATURE -> "the session or its user";
      case MIXIN_OAUTH -> "the OAuth authorization or its user";
      case SERVICE -> "the service key";
      case GRAPHENE -> "the login";
    };
  }
}
