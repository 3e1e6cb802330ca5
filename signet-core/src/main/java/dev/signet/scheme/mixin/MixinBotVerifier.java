package dev.signet.scheme.mixin;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.JwtVerifier;
import dev.signet.verify.VerifierPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Bot tokens (seeds 000, 001, 003): claims {@code uid sid iat exp jti sig scp}, EdDSA or RS512 as
 * the session's key was registered, bound to the request, used once.
 */
public final class MixinBotVerifier implements JwtVerifier {
  private final KeyResolver keys;
  private final ReplayStore replay;
  private final Clock clock;
  private final VerifierPolicy policy;

  public MixinBotVerifier(KeyResolver keys, ReplayStore replay, Clock clock, VerifierPolicy policy) {
    this.keys = Objects.requireNonNull(keys);
    this.replay = Objects.requireNonNull(replay);
    this.clock = Objects.requireNonNull(clock);
    this.policy = Objects.requireNonNull(policy);
  }

  @Override
  public Scheme scheme() {
    return Scheme.MIXIN_BOT;
  }

  @Override
  public Principal verify(AuthRequest request) throws VerificationException {
    ParsedJws jws = CompactJws.parse(request.credential(), policy.maxTokenLength());
    return verify(request, jws, jws.unverifiedClaims());
  }

  @Override
  public Principal verify(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    return checkExceptReplay(request, jws, c).consume(replay);
  }

  @Override
  public CheckedToken checkExceptReplay(AuthRequest request, ParsedJws jws, Claims c) throws VerificationException {
    String uid = TokenChecks.uuid(c, "uid");
    String sid = TokenChecks.uuid(c, "sid");
    RegisteredKey key = TokenChecks.signedBy(jws, keys, new KeyRef(Scheme.MIXIN_BOT, uid, sid),
        "no key registered for this user and session");
    Instant until = TokenChecks.freshness(c, clock.instant(), policy);
    TokenChecks.requestBinding(c, request);
    Set<String> scopes = TokenChecks.scopes(c.optionalString("scp"), key.grantedScopes(), policy.requiredScopes(), true);
    String jti = TokenChecks.jti(c);
    return new CheckedToken(new Principal(Scheme.MIXIN_BOT, uid, sid, null, scopes,
        Instant.ofEpochSecond(c.numericDate("exp")), jti, Map.of()), "mixin-bot:" + sid + ":" + jti,
        Instant.ofEpochSecond(c.numericDate("iat")), until);
  }
}
