package dev.signet.verify;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One HTTP request as a verifier may need to see it: for credentials that sign headers or the
 * request's absolute URI (DPoP proofs, HTTP Message Signatures) as well as for tokens.
 *
 * @param target the raw request target: path and {@code ?query} exactly as received
 * @param origin {@code scheme://host[:port]} as the client addressed the request, or null if unknown
 * @param headers every value of a header by name (case-insensitive), empty when absent
 */
public record RequestView(String method, String target, String origin, byte[] body, Function<String, List<String>> headers) {
  private static final byte[] EMPTY = new byte[0];

  public RequestView {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    body = body == null ? EMPTY : body;
  }

  /** The header's one value; null when absent; {@code MALFORMED} when it appears more than once. */
  public String header(String name) throws VerificationException {
    List<String> all = headers.apply(name);
    if (all == null || all.isEmpty()) {
      return null;
    }
    if (all.size() > 1) {
      throw new VerificationException(name.equalsIgnoreCase("DPoP") ? Failure.DPOP_PROOF : Failure.MALFORMED,
          "a request carries one " + name + " header");
    }
    return all.get(0);
  }
}
