package dev.signet.limits;

/**
 * A client address as limits count it: IPv4 as it is; IPv6 by its /64, what one host is usually
 * given (so that one host cannot take a fresh address per request); anything that is not an
 * address literal as it came, bounded. Parsed by hand, strictly: {@code InetAddress.getByName}
 * asks the resolver for what is not a literal ({@code 1.2.3.999}, {@code 1:2}), and these come from
 * {@code X-Forwarded-For}, which a client may write.
 */
public final class AddressKey {
  private AddressKey() {}

  /** IPv4 as it is; IPv6 as its /64; anything that is not an address literal as it came, bounded. */
  public static String of(String address) {
    if (address.indexOf(':') < 0) {
      return bounded(address);
    }
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int[] groups = ipv6(literal);
    if (groups == null) {
      return bounded(literal);
    }
    return Integer.toHexString(groups[0]) + ':' + Integer.toHexString(groups[1]) + ':' + Integer.toHexString(groups[2]) + ':'
        + Integer.toHexString(groups[3]) + "::/64";
  }

  private static String bounded(String s) {
    return s.length() > 45 ? s.substring(0, 45) : s;
  }

  /** The eight 16-bit groups of an IPv6 literal (a zone, {@code ::} and an IPv4 tail allowed), or null. */
  static int[] ipv6(String s) {
    int zone = s.indexOf('%');
    String a = zone < 0 ? s : s.substring(0, zone);
    if (a.isEmpty() || a.length() > 45) {
      return null;
    }
    int gap = a.indexOf("::");
    if (gap >= 0 && a.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = gap < 0 ? groups(a) : gap == 0 ? new int[0] : groups(a.substring(0, gap));
    int[] tail = gap < 0 ? new int[0] : gap + 2 == a.length() ? new int[0] : groups(a.substring(gap + 2));
    if (head == null || tail == null || (gap < 0 ? head.length != 8 : head.length + tail.length > 7)) {
      return null;
    }
    int[] out = new int[8];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, 8 - tail.length, tail.length);
    return out;
  }

  /** Colon-separated hex groups, the last of which may be a dotted IPv4 address (two groups); null if any is bad. */
  private static int[] groups(String part) {
    String[] g = part.split(":", -1);
    boolean v4 = g[g.length - 1].indexOf('.') >= 0;
    int[] out = new int[g.length + (v4 ? 1 : 0)];
    for (int i = 0; i < g.length; i++) {
      if (v4 && i == g.length - 1) {
        int[] octets = ipv4(g[i]);
        if (octets == null) {
          return null;
        }
        out[i] = octets[0] << 8 | octets[1];
        out[i + 1] = octets[2] << 8 | octets[3];
      } else if (g[i].isEmpty() || g[i].length() > 4) {
        return null;
      } else {
        int v = 0;
        for (char c : g[i].toCharArray()) {
          int d = Character.digit(c, 16);
          if (d < 0) {
            return null;
          }
          v = v << 4 | d;
        }
        out[i] = v;
      }
    }
    return out;
  }

  private static int[] ipv4(String s) {
    String[] o = s.split("\\.", -1);
    if (o.length != 4) {
      return null;
    }
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      if (o[i].isEmpty() || o[i].length() > 3 || !o[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      out[i] = Integer.parseInt(o[i]);
      if (out[i] > 255) {
        return null;
      }
    }
    return out;
  }
}
