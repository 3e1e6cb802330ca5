package dev.signet.scheme.graphene;

import dev.signet.verify.VerificationException;
import java.util.Optional;

/**
 * What the Graphene verifier needs to know of a chain. Implementations talk JSON-RPC to nodes
 * (with failover and short caches); they throw {@link VerificationException} with
 * {@code UNAVAILABLE} when no node answers, so that logins fail closed.
 */
public interface ChainView {
  long headBlockNumber(String network) throws VerificationException;

  /** The id of block {@code number}, or empty if the chain has no such block. */
  Optional<String> blockId(String network, long number) throws VerificationException;

  /** The account's posting authority, or empty if there is no such account. */
  Optional<PostingAuthority> postingAuthority(String network, String account) throws VerificationException;
}
