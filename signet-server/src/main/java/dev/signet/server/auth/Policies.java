package dev.signet.server.auth;

import dev.signet.server.config.ServerConfig;
import dev.signet.verify.Reuse;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerifierPolicy;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The verifier's policy from {@code verification.*}: the core's defaults with the configured window, skew, lifetime, audience and reuse. */
public final class Policies {
  private static final Logger LOG = LoggerFactory.getLogger(Policies.class);

  private Policies() {}

  public static VerifierPolicy from(ServerConfig config) {
    ServerConfig.Verification v = config.verification();
    Reuse serviceReuse = config.reuse(Scheme.SERVICE);
    if (serviceReuse == Reuse.UNTIL_EXPIRY) {
      LOG.warn("verification.schemes.service.reuse is until_expiry: a service token is a bearer token until it expires "
          + "(at most {} s); whoever copies one can use it", v.maxLifetime());
    }
    return VerifierPolicy.defaults()
        .withAcceptanceWindow(config.acceptanceWindow())
        .withClockSkew(Duration.ofSeconds(v.clockSkew()))
        .withMaxLifetime(Duration.ofSeconds(v.maxLifetime()))
        .withAudience(v.audience().isBlank() ? null : v.audience())
        .withReuse(Scheme.SERVICE, serviceReuse);
  }
}
