package dev.signet.cli;

import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.GrapheneSignature;
import dev.signet.keys.Pem;
import dev.signet.keys.RsaPublicKey;
import dev.signet.keys.Secp256k1PublicKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.graphene.GraphenePayload;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.scheme.mixin.MixinOAuthVerifier;
import dev.signet.scheme.service.ServiceTokenVerifier;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.VerificationException;
import dev.signet.verify.Verifier;
import dev.signet.verify.VerifierPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verify a token offline against a public key: exit 0 and its claims as JSON, or exit 1 and the failed check.",
        "Offline verification has no replay store: it cannot tell whether a server has already seen the token."},
    subcommands = {VerifyCommand.MixinBot.class, VerifyCommand.MixinOAuth.class, VerifyCommand.Service.class, VerifyCommand.Graphene.class})
final class VerifyCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose mixin-bot, mixin-oauth, service or graphene");
  }

  static final String OFFLINE = "Offline: no replay store, so a token a server has already accepted still verifies here.";

  /** Options every JWT scheme shares. */
  abstract static class JwtVerify implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--public-key", required = true, description = "Ed25519 (base64url, hex, PEM) or RSA PEM public key, or @file")
    String publicKey;

    @Option(names = "--method", defaultValue = "GET", description = "the request's method (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--uri", defaultValue = "/me", description = "the request's path and query (default: ${DEFAULT-VALUE})")
    String uri;

    @Option(names = "--body", description = "the request's body, or @file / @- (default: empty)")
    String body;

    @Option(names = "--scope", description = "required scopes, space-separated")
    String scope;

    @Option(names = "--window", defaultValue = "300", paramLabel = "SECONDS", description = "acceptance window after iat (default: ${DEFAULT-VALUE})")
    long window;

    @Parameters(index = "0", paramLabel = "TOKEN", description = "the token, or @file / @-")
    String token;

    abstract Verifier verifier(KeyResolver keys, InMemoryReplayStore replay, Clock clock, VerifierPolicy policy);

    /** The algorithm an RSA key is taken to be registered for in this scheme. */
    abstract JwsAlgorithm rsaAlgorithm();

    /** RSA PEMs are the long ones; an Ed25519 X.509 PEM is 44 bytes of DER. */
    static boolean isRsa(String keyText) {
      return Pem.looksLikePem(keyText) && Pem.parse(keyText).der().length > 64;
    }

    VerifierPolicy policy() {
      VerifierPolicy p = VerifierPolicy.defaults().withAcceptanceWindow(Duration.ofSeconds(window));
      if (scope != null) {
        p = p.withRequiredScopes(new HashSet<>(Arrays.asList(scope.trim().split("\\s+"))));
      }
      return p;
    }

    @Override
    public void run() {
      String keyText = Values.trimmed(publicKey);
      JwsKey key = isRsa(keyText)
          ? JwsKey.rsa(RsaPublicKey.parse(keyText, SignCommand.LEGACY_RSA_BITS), rsaAlgorithm())
          : JwsKey.eddsa(Ed25519PublicKey.parse(keyText));
      // Offline, the given key stands for whoever the token names.
      KeyResolver keys = ref -> Optional.of(new RegisteredKey(key, ref.owner(), ref.owner(), null));
      Clock clock = Clock.systemUTC();
      String tokenText = Values.trimmed(token);
      try {
        verifier(keys, new InMemoryReplayStore(clock, 16), clock, policy())
            .verify(new AuthRequest(method.toUpperCase(java.util.Locale.ROOT), uri, Values.bytes(body), tokenText));
        spec.commandLine().getOut().println(Json.of(CompactJws.parse(tokenText, 8192).unverifiedClaims().toMap()));
      } catch (VerificationException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
  }

  @Command(name = "mixin-bot", mixinStandardHelpOptions = true, description = {"Verify a bot token (EdDSA, or RS512 for an RSA key).", OFFLINE})
  static final class MixinBot extends JwtVerify {
    @Override
    Verifier verifier(KeyResolver keys, InMemoryReplayStore replay, Clock clock, VerifierPolicy policy) {
      return new MixinBotVerifier(keys, replay, clock, policy);
    }

    @Override
    JwsAlgorithm rsaAlgorithm() {
      return JwsAlgorithm.RS512;
    }
  }

  @Command(name = "mixin-oauth", mixinStandardHelpOptions = true, description = {"Verify an OAuth user token (EdDSA).", OFFLINE})
  static final class MixinOAuth extends JwtVerify {
    @Override
    Verifier verifier(KeyResolver keys, InMemoryReplayStore replay, Clock clock, VerifierPolicy policy) {
      return new MixinOAuthVerifier(keys, replay, clock, policy);
    }

    @Override
    JwsAlgorithm rsaAlgorithm() {
      throw new IllegalArgumentException("OAuth tokens are EdDSA: give an Ed25519 public key");
    }
  }

  @Command(name = "service", mixinStandardHelpOptions = true, description = {"Verify a service token (RS256; aud must match).", OFFLINE})
  static final class Service extends JwtVerify {
    @Option(names = "--audience", required = true, description = "the aud this service expects")
    String audience;

    @Override
    Verifier verifier(KeyResolver keys, InMemoryReplayStore replay, Clock clock, VerifierPolicy policy) {
      return new ServiceTokenVerifier(keys, replay, clock, policy.withAudience(audience));
    }

    @Override
    JwsAlgorithm rsaAlgorithm() {
      return JwsAlgorithm.RS256;
    }
  }

  @Command(name = "graphene", mixinStandardHelpOptions = true,
      description = {"Recover and print the public key that signed a Graphene login payload.",
          "This checks the signature only: the chain (block, posting authority) is checked by a server."})
  static final class Graphene implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--public-key", description = "exit 1 unless the signer is this key")
    String publicKey;

    @Option(names = "--prefix", defaultValue = "STM", description = "public key prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Parameters(index = "0", paramLabel = "PAYLOAD", description = "the 7-part payload, or @file / @-")
    String payload;

    @Override
    public void run() {
      GraphenePayload p = GraphenePayload.parse(Values.trimmed(payload));
      Secp256k1PublicKey signer = GrapheneSignature.recover(p.messageHash(), p.signature());
      if (signer == null) {
        throw new IllegalArgumentException("bad_signature: signature is malformed, not canonical, or recovers no key");
      }
      String recovered = signer.toGraphene(prefix);
      if (publicKey != null && !Secp256k1PublicKey.parseGraphene(Values.trimmed(publicKey)).equals(signer)) {
        throw new IllegalArgumentException("bad_signature: payload was signed by " + recovered + ", not the given key");
      }
      spec.commandLine().getOut().println(recovered);
    }
  }
}
