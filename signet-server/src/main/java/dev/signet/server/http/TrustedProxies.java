package dev.signet.server.http;

import io.netty.util.NetUtil;
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
      byte[] addr = parts.length > 2 ? null : literal(parts[0]);
      if (addr == null) {
        throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block");
      }
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

  /**
   * Whether {@code ip} is trusted: an address literal (as a socket reports it, or an
   * {@code X-Forwarded-For} hop, which a client may have written) in one of the blocks.
   */
  public boolean contains(String ip) {
    byte[] addr = ip == null ? null : literal(ip);
    if (addr == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.contains(addr)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The address of a strict literal (four decimal octets, or IPv6), else null. Never
   * {@code InetAddress.getByName}: given what is not a literal (an X-Forwarded-For hop such as
   * {@code 1.2.3.999}) it asks the resolver, blocking the event loop.
   */
  private static byte[] literal(String s) {
    int zone = s.indexOf('%');
    return NetUtil.createByteArrayFromIpAddressString(zone < 0 ? s : s.substring(0, zone));
  }
}
