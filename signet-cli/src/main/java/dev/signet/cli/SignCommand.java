package dev.signet.cli;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.Secp256k1PrivateKey;
import dev.signet.keys.SigningKey;
import dev.signet.scheme.graphene.GraphenePayload;
import dev.signet.scheme.graphene.GrapheneSigner;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign a token or login payload; prints it.",
    subcommands = {SignCommand.MixinBot.class, SignCommand.MixinOAuth.class, SignCommand.Service.class, SignCommand.Graphene.class})
final class SignCommand implements Runnable {
  /** Legacy Mixin RSA session keys are 1024 bits: signing with them stays possible. */
  static final int LEGACY_RSA_BITS = 1024;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose mixin-bot, mixin-oauth, service or graphene");
  }

  static Keystore keystore(String path) {
    try {
      return Keystore.parse(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read keystore " + path + ": " + e.getClass().getSimpleName());
    }
  }

  static String require(CommandSpec spec, String value, String option) {
    if (value == null || value.isBlank()) {
      throw new ParameterException(spec.commandLine(), "missing " + option + " (or --keystore)");
    }
    return value;
  }

  @Command(name = "mixin-bot", mixinStandardHelpOptions = true,
      description = "A bot request token (uid sid iat exp jti sig scp): EdDSA for Ed25519 keys, RS512 for RSA keys.")
  static final class MixinBot implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--uid", description = "user (bot) id, a UUID")
    String uid;

    @Option(names = "--sid", description = "session id, a UUID")
    String sid;

    @Option(names = "--key", description = "private key: Ed25519 (base64url, hex, PEM) or RSA PEM; or @file")
    String key;

    @Option(names = "--keystore", paramLabel = "FILE", description = "keystore JSON instead of --uid/--sid/--key")
    String keystore;

    @Option(names = "--alg", description = "EdDSA or RS512 (default: from the key)")
    JwsAlgorithm alg;

    @Option(names = "--scope", defaultValue = "FULL", description = "scp claim (default: ${DEFAULT-VALUE})")
    String scope;

    @Mixin
    RequestOptions request;

    @Override
    public void run() {
      SigningKey signingKey;
      String user;
      String session;
      if (keystore != null) {
        Keystore ks = keystore(keystore);
        signingKey = ks.key();
        user = ks.userId();
        session = ks.sessionId();
      } else {
        user = require(spec, uid, "--uid");
        session = require(spec, sid, "--sid");
        signingKey = SigningKey.parse(Values.trimmed(require(spec, key, "--key")), LEGACY_RSA_BITS);
      }
      JwsAlgorithm algorithm = alg != null ? alg : signingKey instanceof Ed25519PrivateKey ? JwsAlgorithm.EdDSA : JwsAlgorithm.RS512;
      if (algorithm == JwsAlgorithm.RS256 || (algorithm == JwsAlgorithm.EdDSA) != (signingKey instanceof Ed25519PrivateKey)) {
        throw new IllegalArgumentException("--alg " + algorithm + " does not fit a " + signingKey.algorithm() + " key");
      }
      MixinBotSigner signer = new MixinBotSigner(user, session, JwsSigner.of(signingKey, algorithm), Clock.systemUTC());
      spec.commandLine().getOut().println(signer.sign(request.method, request.uri, request.bodyBytes(), request.tokenOptions(scope)));
    }
  }

  @Command(name = "mixin-oauth", mixinStandardHelpOptions = true,
      description = "An OAuth user token (iss aid iat exp sig scp jti), EdDSA.")
  static final class MixinOAuth implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--app-id", description = "the app (client) id, a UUID")
    String appId;

    @Option(names = "--authorization-id", description = "the authorization id, a UUID")
    String authorizationId;

    @Option(names = "--key", description = "Ed25519 private key (base64url, hex, PEM) or @file")
    String key;

    @Option(names = "--scope", description = "authorized scope, e.g. \"PROFILE:READ\"")
    String scope;

    @Option(names = "--keystore", paramLabel = "FILE", description = "OAuth keystore JSON instead of the options above")
    String keystore;

    @Mixin
    RequestOptions request;

    @Override
    public void run() {
      String app;
      String aid;
      SigningKey signingKey;
      String scp = scope;
      if (keystore != null) {
        Keystore ks = keystore(keystore);
        if (!ks.isOAuth()) {
          throw new IllegalArgumentException("keystore has no authorization_id");
        }
        app = ks.userId();
        aid = ks.authorizationId();
        signingKey = ks.key();
        scp = scp != null ? scp : ks.scope();
      } else {
        app = require(spec, appId, "--app-id");
        aid = require(spec, authorizationId, "--authorization-id");
        require(spec, scp, "--scope");
        signingKey = SigningKey.parse(Values.trimmed(require(spec, key, "--key")));
      }
      if (!(signingKey instanceof Ed25519PrivateKey ed)) {
        throw new IllegalArgumentException("OAuth tokens need an Ed25519 key");
      }
      MixinOAuthSigner signer = new MixinOAuthSigner(app, aid, ed, Clock.systemUTC());
      spec.commandLine().getOut().println(signer.sign(request.method, request.uri, request.bodyBytes(),
          request.tokenOptions(require(spec, scp, "--scope"))));
    }
  }

  @Command(name = "service", mixinStandardHelpOptions = true,
      description = "A service token as seed 002 shows: RS256, claims aud exp iat iss jti sub and kid.")
  static final class Service implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--issuer", required = true, description = "organization id (iss)")
    String issuer;

    @Option(names = "--kid", required = true, description = "key id, sent as a claim")
    String kid;

    @Option(names = "--subject", required = true, description = "user id (sub)")
    String subject;

    @Option(names = "--audience", required = true, description = "aud")
    String audience;

    @Option(names = "--key", required = true, description = "RSA private key PEM (PKCS#1 or PKCS#8) or @file")
    String key;

    @Option(names = "--ttl", defaultValue = "3600", paramLabel = "SECONDS", description = "seconds until exp, at most 3600 (default: ${DEFAULT-VALUE})")
    long ttl;

    @Override
    public void run() {
      RsaPrivateKey rsa = RsaPrivateKey.parse(Values.trimmed(key));
      ServiceTokenSigner signer = new ServiceTokenSigner(issuer, kid, audience, rsa, Clock.systemUTC(), Duration.ofSeconds(ttl));
      spec.commandLine().getOut().println(signer.sign(subject));
    }
  }

  @Command(name = "graphene", mixinStandardHelpOptions = true,
      description = "A Graphene login payload: user:link:auth-id:network:block-num:block-id:signature.")
  static final class Graphene implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true)
    String user;

    @Option(names = "--link", required = true)
    String link;

    @Option(names = "--auth-id", required = true, description = "the server's auth_identifier")
    String authId;

    @Option(names = "--network", required = true, description = "e.g. hive")
    String network;

    @Option(names = "--block-num", required = true, description = "a recent block number")
    long blockNum;

    @Option(names = "--block-id", required = true, description = "that block's id (40 hex)")
    String blockId;

    @Option(names = "--wif", required = true, description = "posting key in WIF, or @file")
    String wif;

    @Option(names = "--prefix", defaultValue = "STM", description = "public key prefix, for --json (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--json", description = "print the payload and the signer's public key as JSON")
    boolean json;

    @Override
    public void run() {
      Secp256k1PrivateKey k = Secp256k1PrivateKey.parseWif(Values.trimmed(wif));
      GraphenePayload p = new GrapheneSigner(k).sign(user, link, authId, network, blockNum, blockId);
      if (json) {
        spec.commandLine().getOut().println(Json.of(java.util.Map.of("payload", p.encode(), "public_key", k.publicKey().toGraphene(prefix))));
      } else {
        spec.commandLine().getOut().println(p.encode());
      }
    }
  }
}
