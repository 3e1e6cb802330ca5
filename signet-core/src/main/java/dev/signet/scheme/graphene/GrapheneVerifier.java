package dev.signet.scheme.graphene;

import dev.signet.codec.Hex;
import dev.signet.keys.GrapheneSignature;
import dev.signet.keys.Secp256k1PublicKey;
import dev.signet.replay.ReplayStore;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.Failure;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.Verifier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Graphene logins (seed 004). Unlike the reference server, which asks a node to check signatures
 * and accepts a payload again and again, this recovers the signer itself, requires it to hold the
 * account's posting authority, refuses a block ahead of the head or older than the timeout, and
 * accepts each payload once.
 */
public final class GrapheneVerifier implements Verifier {
  private final String authIdentifier;
  private final Map<String, GrapheneNetwork> networks;
  private final ChainView chain;
  private final ReplayStore replay;
  private final Clock clock;

  public GrapheneVerifier(String authIdentifier, List<GrapheneNetwork> networks, ChainView chain,
      ReplayStore replay, Clock clock) {
    this.authIdentifier = Objects.requireNonNull(authIdentifier);
    this.networks = networks.stream().collect(Collectors.toUnmodifiableMap(GrapheneNetwork::name, Function.identity()));
    this.chain = Objects.requireNonNull(chain);
    this.replay = Objects.requireNonNull(replay);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public Scheme scheme() {
    return Scheme.GRAPHENE;
  }

  @Override
  public Principal verify(AuthRequest request) throws VerificationException {
    GraphenePayload p;
    try {
      p = GraphenePayload.parse(request.credential());
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Failure.MALFORMED, e.getMessage());
    }
    if (!p.authIdentifier().equals(authIdentifier)) {
      throw new VerificationException(Failure.AUTH_IDENTIFIER, "payload is for another auth_identifier");
    }
    GrapheneNetwork net = networks.get(p.network());
    if (net == null) {
      throw new VerificationException(Failure.NETWORK, "network is not accepted here");
    }
    if (!p.blockIdMatchesNumber()) {
      throw new VerificationException(Failure.BLOCK, "block id does not belong to the block number");
    }
    Secp256k1PublicKey signer = GrapheneSignature.recover(p.messageHash(), p.signature());
    if (signer == null) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "signature is malformed, not canonical, or recovers no key");
    }
    long head = chain.headBlockNumber(net.name());
    if (p.blockNum() > head) {
      throw new VerificationException(Failure.BLOCK, "block is ahead of the chain head");
    }
    long age = head - p.blockNum();
    if (age > net.authTimeoutBlocks()) {
      throw new VerificationException(Failure.BLOCK, "block is " + age + " blocks old, the limit is " + net.authTimeoutBlocks());
    }
    String chainId = chain.blockId(net.name(), p.blockNum())
        .orElseThrow(() -> new VerificationException(Failure.BLOCK, "chain has no such block"));
    if (!chainId.equals(p.blockId())) {
      throw new VerificationException(Failure.BLOCK, "block id is not the chain's id for that block");
    }
    PostingAuthority authority = chain.postingAuthority(net.name(), p.user())
        .orElseThrow(() -> new VerificationException(Failure.AUTHORITY, "no such account"));
    String signerText = signer.toGraphene(net.keyPrefix());
    if (!authority.satisfiedBy(signerText)) {
      throw new VerificationException(Failure.AUTHORITY, "signer is not in the account's posting authority with enough weight");
    }
    // Remembered until the block has aged out, when the payload is refused anyway.
    long blocksLeft = net.authTimeoutBlocks() - age + 1;
    Instant until = clock.instant().plus(net.blockInterval().multipliedBy(blocksLeft));
    // Keyed by the signed message, not the signature: header bytes 27-30 and 31-34 encode the same
    // signature, so keying by its bytes would let a re-encoded payload pass as new.
    String id = Hex.encode(p.messageHash());
    // Issued, at the latest, when its block was made: a block interval before the head's age says.
    Instant issued = clock.instant().minus(net.blockInterval().multipliedBy(age + 1L));
    TokenChecks.singleUse(replay, "graphene:" + net.name() + ":" + id, issued, until);
    return new Principal(Scheme.GRAPHENE, p.user(), null, null, Set.of(), until, id,
        Map.of("link", p.link(), "network", net.name(), "public_key", signerText));
  }
}
