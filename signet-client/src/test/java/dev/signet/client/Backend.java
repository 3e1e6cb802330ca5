package dev.signet.client;

import dev.signet.jwt.CompactJws;
import dev.signet.jwt.Claims;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.pin.PinBlock;
import dev.signet.pin.PinCipher;
import dev.signet.pin.PinException;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.graphene.ChainView;
import dev.signet.scheme.graphene.GrapheneNetwork;
import dev.signet.scheme.graphene.GrapheneVerifier;
import dev.signet.scheme.graphene.PostingAuthority;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.scheme.mixin.MixinOAuthVerifier;
import dev.signet.scheme.service.ServiceTokenVerifier;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test API servers share: registered keys, one replay store, the Graphene chain data and
 * issued access tokens. Several {@link TestApiServer}s over one backend behave as one service on
 * several nodes, so a token accepted by one is refused by all.
 */
final class Backend {
  static final String AUTH_ID = "signet_test";
  static final long HEAD = 76092780L;
  static final String HEAD_ID = "0489156ce51562088e21cf7aee70bbdf6832965d";
  static final String AUDIENCE = "api.example";

  final Clock clock;
  final Map<KeyRef, RegisteredKey> keys = new ConcurrentHashMap<>();
  final Map<String, PostingAuthority> accounts = new ConcurrentHashMap<>();
  final Map<String, Ed25519PublicKey> sessionKeys = new ConcurrentHashMap<>();
  final Map<String, Principal> accessTokens = new ConcurrentHashMap<>();
  final X25519PrivateKey pinKey = X25519PrivateKey.generate(new SecureRandom());
  final InMemoryReplayStore replay;
  final MixinBotVerifier bot;
  final MixinOAuthVerifier oauth;
  final ServiceTokenVerifier service;
  final GrapheneVerifier graphene;
  final Duration accessTokenTtl = Duration.ofMinutes(10);

  Backend(Clock clock) {
    this.clock = clock;
    this.replay = new InMemoryReplayStore(clock, 100_000);
    VerifierPolicy policy = VerifierPolicy.defaults();
    this.bot = new MixinBotVerifier(this::resolve, replay, clock, policy);
    this.oauth = new MixinOAuthVerifier(this::resolve, replay, clock, policy);
    this.service = new ServiceTokenVerifier(this::resolve, replay, clock, policy.withAudience(AUDIENCE));
    ChainView chain = new ChainView() {
      @Override
      public long headBlockNumber(String network) {
        return HEAD;
      }

      @Override
      public Optional<String> blockId(String network, long number) {
        return number == HEAD ? Optional.of(HEAD_ID) : Optional.empty();
      }

      @Override
      public Optional<PostingAuthority> postingAuthority(String network, String account) {
        return Optional.ofNullable(accounts.get(account));
      }
    };
    this.graphene = new GrapheneVerifier(AUTH_ID, List.of(GrapheneNetwork.hive()), chain, replay, clock);
  }

  private Optional<RegisteredKey> resolve(KeyRef ref) {
    return Optional.ofNullable(keys.get(ref));
  }

  void registerSession(KeyRef ref, RegisteredKey key, Ed25519PublicKey pinSessionKey) {
    keys.put(ref, key);
    if (pinSessionKey != null) {
      sessionKeys.put(ref.owner(), pinSessionKey);
    }
  }

  /** An RFC 9421 signed request, by a registered bot session (named by its id alone). */
  Principal authenticateSigned(dev.signet.verify.RequestView r) throws VerificationException {
    return new dev.signet.scheme.httpsig.HttpSignatureVerifier(ref -> keys.entrySet().stream()
        .filter(e -> e.getKey().scheme() == dev.signet.verify.Scheme.MIXIN_BOT && e.getKey().keyId().equals(ref.keyId()))
        .map(Map.Entry::getValue).findFirst(), clock, VerifierPolicy.defaults(),
        dev.signet.scheme.httpsig.HttpSignatureVerifier.DEFAULT_REQUIRED).check(r).consume(replay);
  }

  Principal authenticate(String method, String target, byte[] body, String bearer) throws VerificationException {
    if (bearer.chars().filter(c -> c == '.').count() != 2) {
      Principal p = accessTokens.get(bearer);
      if (p == null || !clock.instant().isBefore(p.expiresAt())) {
        throw new VerificationException(Failure.UNKNOWN_KEY, "unknown or expired access token");
      }
      return p;
    }
    Claims c = CompactJws.parse(bearer, 8192).unverifiedClaims();
    AuthRequest r = new AuthRequest(method, target, body, bearer);
    if (c.has("aud")) {
      return service.verify(r);
    }
    return c.has("aid") ? oauth.verify(r) : bot.verify(r);
  }

  /** A Graphene login: one access token per accepted payload. */
  Map<String, Object> login(String payload) throws VerificationException {
    Principal p = graphene.verify(AuthRequest.unbound(payload));
    String token = dev.signet.codec.Base64Url.encode(new SecureRandom().generateSeed(24));
    Instant expires = clock.instant().plus(accessTokenTtl);
    accessTokens.put(token, new Principal(p.scheme(), p.userId(), null, null, p.scopes(), expires, p.tokenId(), p.attributes()));
    return Map.of("access_token", token, "expires_at", expires.getEpochSecond());
  }

  PinBlock decryptPin(String userId, String encrypted) throws PinException {
    return PinCipher.decrypt(encrypted, pinKey, sessionKeys.get(userId));
  }

  static JwsKey eddsa(Ed25519PublicKey k) {
    return JwsKey.eddsa(k);
  }
}
