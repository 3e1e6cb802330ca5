package dev.signet.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A client address as limits count it: IPv4 as it is; IPv6 by its /64, what one host is usually
 * given (so that one host cannot take a fresh address per request); anything that is not an
 * address literal as it came, bounded, and never looked up.
 */
public final class AddressKey {
  private AddressKey() {}

  /** IPv4 as it is; IPv6 as its /64; anything that is not an address literal as it came, bounded. */
  public static String of(String address) {
    if (address.indexOf(':') < 0) {
      return address.length() > 45 ? address.substring(0, 45) : address;
    }
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    if (!literal.matches("[0-9A-Fa-f:.]+")) {
      return literal.length() > 45 ? literal.substring(0, 45) : literal; // never a DNS lookup
    }
    try {
      byte[] a = InetAddress.getByName(literal).getAddress();
      if (a.length == 4) {
        return InetAddress.getByAddress(a).getHostAddress();
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return literal;
    }
  }
}
