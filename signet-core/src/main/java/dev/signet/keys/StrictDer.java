package dev.signet.keys;

import java.math.BigInteger;

/**
 * DER for ECDSA signatures, refusing every BER variant: long-form lengths where short would do,
 * leading zero bytes, negative integers, trailing data.
 */
final class StrictDer {
  private StrictDer() {}

  /** {r, s} or null when {@code der} is not exactly one strict DER SEQUENCE of two INTEGERs. */
  static BigInteger[] decodeSignature(byte[] der) {
    int[] pos = {0};
    int seqLen = header(der, pos, 0x30);
    if (seqLen < 0 || pos[0] + seqLen != der.length) {
      return null;
    }
    BigInteger r = integer(der, pos);
    BigInteger s = r == null ? null : integer(der, pos);
    if (s == null || pos[0] != der.length) {
      return null;
    }
    return new BigInteger[] {r, s};
  }

  private static BigInteger integer(byte[] der, int[] pos) {
    int len = header(der, pos, 0x02);
    if (len <= 0 || pos[0] + len > der.length) {
      return null;
    }
    int start = pos[0];
    if ((der[start] & 0x80) != 0) {
      return null;
    }
    if (len > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
      return null;
    }
    pos[0] += len;
    byte[] v = new byte[len];
    System.arraycopy(der, start, v, 0, len);
    return new BigInteger(v);
  }

  /** Reads tag and length; returns the content length, or -1. */
  private static int header(byte[] der, int[] pos, int tag) {
    int p = pos[0];
    if (p + 2 > der.length || (der[p] & 0xff) != tag) {
      return -1;
    }
    int len = der[p + 1] & 0xff;
    p += 2;
    if (len == 0x81) {
      if (p >= der.length) {
        return -1;
      }
      len = der[p++] & 0xff;
      if (len < 0x80) {
        return -1;
      }
    } else if (len > 0x80) {
      return -1;
    } else if (len == 0x80) {
      return -1;
    }
    pos[0] = p;
    return len;
  }
}
