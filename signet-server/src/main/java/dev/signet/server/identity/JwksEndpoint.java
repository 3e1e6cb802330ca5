package dev.signet.server.identity;

import dev.signet.server.http.Face;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /.well-known/jwks.json}, and the timer that moves the identity keys to a new period. */
public final class JwksEndpoint implements Face {
  public static final String PATH = "/.well-known/jwks.json";
  private static final Logger LOG = LoggerFactory.getLogger(JwksEndpoint.class);

  private final Vertx vertx;
  private final IdentityKeys keys;

  public JwksEndpoint(Vertx vertx, IdentityKeys keys) {
    this.vertx = vertx;
    this.keys = keys;
  }

  @Override
  public void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/jwk-set+json")
        .putHeader("Cache-Control", "public, max-age=300").end(Json.encode(Map.of("keys", keys.published()))));
    // A new period's keys are read (or created) in the store off the event loop; until then the
    // last period's key signs on, still published.
    vertx.setPeriodic(10_000, t -> {
      if (keys.stale()) {
        vertx.executeBlocking(() -> {
          keys.refresh();
          return null;
        }, false).onFailure(e -> LOG.warn("identity keys: cannot read the store: {}", e.getMessage()));
      }
    });
  }
}
