package dev.signet.client;

import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.Secp256k1PrivateKey;
import dev.signet.keys.SigningKey;
import dev.signet.keys.X25519PublicKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Who the client speaks as. Private keys print as their public halves only. */
public sealed interface Credentials {

  /** A bot session: EdDSA for Ed25519 keys, RS512 for legacy RSA keys. */
  record Bot(String userId, String sessionId, SigningKey key, X25519PublicKey pinToken) implements Credentials {
    public Bot {
      Objects.requireNonNull(userId);
      Objects.requireNonNull(sessionId);
      Objects.requireNonNull(key);
    }
  }

  /** An OAuth authorization: EdDSA tokens carrying the authorized scope. */
  record OAuth(String appId, String authorizationId, Ed25519PrivateKey key, String scope, X25519PublicKey pinToken)
      implements Credentials {
    public OAuth {
      Objects.requireNonNull(appId);
      Objects.requireNonNull(authorizationId);
      Objects.requireNonNull(key);
      Objects.requireNonNull(scope);
    }
  }

  /** A service account (seed 002): RS256 tokens for one subject and audience. */
  record Service(String issuer, String kid, String subject, String audience, RsaPrivateKey key) implements Credentials {
    public Service {
      Objects.requireNonNull(issuer);
      Objects.requireNonNull(kid);
      Objects.requireNonNull(subject);
      Objects.requireNonNull(audience);
      Objects.requireNonNull(key);
    }
  }

  /**
   * A Graphene account: logs in with its posting key over {@code /getToken}, then uses the access
   * token. {@code authIdentifier} may be null: it is then read from the server's {@code /currentUser}.
   */
  record Graphene(String user, Secp256k1PrivateKey postingKey, String link, String network, String authIdentifier,
      List<URI> rpcNodes) implements Credentials {
    public Graphene {
      Objects.requireNonNull(user);
      Objects.requireNonNull(postingKey);
      Objects.requireNonNull(link);
      Objects.requireNonNull(network);
      rpcNodes = List.copyOf(rpcNodes);
      if (rpcNodes.isEmpty()) {
        throw new IllegalArgumentException("at least one RPC node is needed");
      }
    }
  }

  /** Bot or OAuth credentials from a keystore file of either SDK generation. */
  static Credentials fromKeystore(Path file) {
    try {
      return fromKeystore(Keystore.parse(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keystore " + file, e);
    }
  }

  static Credentials fromKeystore(Keystore ks) {
    if (ks.isOAuth()) {
      if (!(ks.key() instanceof Ed25519PrivateKey ed)) {
        throw new IllegalArgumentException("OAuth keystores hold Ed25519 keys");
      }
      return new OAuth(ks.userId(), ks.authorizationId(), ed, ks.scope(), ks.pinToken());
    }
    return new Bot(ks.userId(), ks.sessionId(), ks.key(), ks.pinToken());
  }
}
