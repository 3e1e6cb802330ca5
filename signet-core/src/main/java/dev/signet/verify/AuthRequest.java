package dev.signet.verify;

import java.util.Objects;

/**
 * What a verifier sees of one request.
 *
 * @param method the HTTP method as received (compared upper-case)
 * @param target the raw request target: path and {@code ?query} exactly as received, no host
 * @param body the raw body bytes, empty for none
 * @param credential the token (without {@code Bearer }) or, for Graphene, the login payload
 */
public record AuthRequest(String method, String target, byte[] body, String credential) {
  private static final byte[] EMPTY = new byte[0];

  public AuthRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    body = body == null ? EMPTY : body;
  }

  /** A credential checked on its own, not bound to an HTTP request (e.g. a Graphene payload). */
  public static AuthRequest unbound(String credential) {
    return new AuthRequest("", "", EMPTY, credential);
  }
}
