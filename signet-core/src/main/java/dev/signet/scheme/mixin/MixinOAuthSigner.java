package dev.signet.scheme.mixin;

import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.verify.TokenChecks;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Signs OAuth user tokens as seed 003 does: {@code iss aid iat exp sig scp jti}, EdDSA. */
public final class MixinOAuthSigner {
  private final String appId;
  private final String authorizationId;
  private final JwsSigner signer;
  private final Clock clock;

  public MixinOAuthSigner(String appId, String authorizationId, Ed25519PrivateKey key, Clock clock) {
    this.appId = MixinBotSigner.requireUuid(appId, "app id");
    this.authorizationId = MixinBotSigner.requireUuid(authorizationId, "authorization id");
    this.signer = JwsSigner.eddsa(key);
    this.clock = Objects.requireNonNull(clock);
  }

  /** {@code options.scope()} is the authorized scope, e.g. {@code "PROFILE:READ"}; it is required. */
  public String sign(String method, String uri, byte[] body, MixinBotSigner.TokenOptions options) {
    if (options.scope() == null || options.scope().isBlank()) {
      throw new IllegalArgumentException("OAuth tokens need a scope");
    }
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", appId);
    claims.put("aid", authorizationId);
    claims.put("iat", now);
    claims.put("exp", now + options.ttl().getSeconds());
    claims.put("sig", TokenChecks.requestSig(method.toUpperCase(java.util.Locale.ROOT), uri, body));
    claims.put("scp", options.scope());
    claims.put("jti", options.jti() != null ? options.jti() : UUID.randomUUID().toString());
    return signer.sign(claims);
  }
}
