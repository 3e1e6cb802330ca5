package dev.signet.scheme.graphene;

import dev.signet.keys.Secp256k1PrivateKey;
import java.util.Objects;

/** Builds and signs login payloads with a posting key. */
public final class GrapheneSigner {
  private final Secp256k1PrivateKey postingKey;

  public GrapheneSigner(Secp256k1PrivateKey postingKey) {
    this.postingKey = Objects.requireNonNull(postingKey);
  }

  public GraphenePayload sign(String user, String link, String authIdentifier, String network, long blockNum, String blockId) {
    GraphenePayload unsigned = new GraphenePayload(user, link, authIdentifier, network, blockNum, blockId, new byte[65]);
    byte[] sig = postingKey.signCompact(unsigned.messageHash());
    // Parse the result so that a signer can never emit a payload the verifier would refuse as malformed.
    return GraphenePayload.parse(new GraphenePayload(user, link, authIdentifier, network, blockNum, blockId, sig).encode());
  }
}
