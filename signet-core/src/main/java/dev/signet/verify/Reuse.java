package dev.signet.verify;

import java.util.Locale;

/**
 * How often one credential may be presented.
 *
 * <p>{@link #ONCE}: its id is claimed in the replay store, so a copied token is worthless after its
 * first use. {@link #UNTIL_EXPIRY}: any number of times until {@code exp}, which makes it a bearer
 * token for its whole lifetime: whoever copies it (a log line, a proxy, a stolen header) can use
 * it, for any request it is not bound to, until it expires. Only service tokens may be reused.
 */
public enum Reuse {
  ONCE,
  UNTIL_EXPIRY;

  /** The configuration spelling: {@code once} or {@code until_expiry}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Reuse parse(String s) {
    for (Reuse r : values()) {
      if (r.wireName().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("reuse must be once or until_expiry");
  }
}
