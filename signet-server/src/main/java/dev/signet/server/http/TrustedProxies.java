package dev.signet.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}, {@code 192.0.2.7}) a gateway may speak from. */
public final class TrustedProxies {
  private record Block(byte[] network, int bits) {
    boolean contains(byte[] addr) {
      if (addr.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (addr[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (addr[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** Parses IP literals only (never a host name: no DNS at start or per request). */
  public static TrustedProxies parse(List<String> entries) {
    List<Block> out = new ArrayList<>();
    for (String e : entries) {
      String[] parts = e.strip().split("/", -1);
      if (parts.length > 2 || !isIpLiteral(parts[0])) {
        throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block");
      }
      byte[] addr = literal(parts[0]);
      int bits = addr.length * 8;
      if (parts.length == 2) {
        try {
          bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException nfe) {
          bits = -1;
        }
        if (bits < 0 || bits > addr.length * 8) {
          throw new IllegalArgumentException("'" + e + "' has a bad prefix length");
        }
      }
      out.add(new Block(addr, bits));
    }
    return new TrustedProxies(out);
  }

  /** Whether {@code ip} (an address literal as the socket reports it) is trusted. */
  public boolean contains(String ip) {
    if (ip == null || !isIpLiteral(ip)) {
      return false;
    }
    byte[] addr = literal(ip);
    return blocks.stream().anyMatch(b -> b.contains(addr));
  }

  private static boolean isIpLiteral(String s) {
    return !s.isEmpty() && (s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")));
  }

  private static byte[] literal(String s) {
    try {
      // A literal: InetAddress parses it without a lookup.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + s + "' is not an IP address");
    }
  }
}
