package dev.signet.server.limits;

import dev.signet.limits.AddressKey;
import dev.signet.server.http.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Who sent a request, as the refusal throttle counts it: the socket's address, or, when the
 * socket is one of {@code decisions.trusted_proxies}, the last hop of {@code X-Forwarded-For}
 * that is not (the one a trusted gateway saw; none: not counted), as {@link AddressKey} keys it.
 */
public final class ClientAddresses {
  private final TrustedProxies trusted;

  public ClientAddresses(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /**
   * The key of {@code req}'s client, or null when it cannot be told: a socket without an address (a
   * Unix socket), or a trusted proxy's request without an untrusted {@code X-Forwarded-For} hop.
   */
  public String of(HttpServerRequest req) {
    String socket = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    if (socket == null) {
      return null;
    }
    String client = socket;
    if (trusted.contains(socket)) {
      // A gateway that names no client: its clients cannot be told apart, and counting them as one
      // would let one of them throttle all the others. Not counted.
      client = null;
      List<String> forwarded = req.headers().getAll("X-Forwarded-For");
      hops:
      for (int i = forwarded.size() - 1; i >= 0; i--) {
        String[] hops = forwarded.get(i).split(",");
        for (int j = hops.length - 1; j >= 0; j--) {
          String hop = hops[j].strip();
          if (!hop.isEmpty() && !trusted.contains(hop)) {
            client = hop;
            break hops;
          }
        }
      }
    }
    return client == null ? null : AddressKey.of(client);
  }
}
