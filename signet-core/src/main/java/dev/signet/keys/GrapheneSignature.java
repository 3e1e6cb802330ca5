package dev.signet.keys;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSAKCalculator;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Graphene compact signatures: 65 bytes, a header byte 27 + 4 (compressed) + recovery id, then r
 * and s of 32 bytes each.
 */
public final class GrapheneSignature {
  private GrapheneSignature() {}

  /**
   * Signs deterministically (RFC 6979), retrying with a new nonce until the signature is canonical
   * in both senses Graphene nodes check: low S, and r and s each a full 32 bytes with the top bit
   * clear (the old fc::ecc "is_canonical" rule that dsteem and hive-js still apply).
   */
  static byte[] sign(BigInteger d, Secp256k1PublicKey publicKey, byte[] hash) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes");
    }
    for (int attempt = 0; ; attempt++) {
      ECDSASigner signer = new ECDSASigner(new CountedK(attempt));
      signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
      BigInteger[] rs = signer.generateSignature(hash);
      BigInteger r = rs[0];
      BigInteger s = rs[1];
      if (s.compareTo(Secp256k1.HALF_N) > 0) {
        s = Secp256k1.N.subtract(s);
      }
      byte[] out = new byte[65];
      put32(r, out, 1);
      put32(s, out, 33);
      if (!fcCanonical(out)) {
        continue;
      }
      for (int recId = 0; recId < 4; recId++) {
        ECPoint q = Secp256k1.recover(hash, r, s, recId);
        if (q != null && new Secp256k1PublicKey(q).equals(publicKey)) {
          out[0] = (byte) (31 + recId);
          return out;
        }
      }
      throw new IllegalStateException("no recovery id reproduces the signer's key");
    }
  }

  /**
   * The key that made a compact signature, or null if the signature is malformed, high-S, or
   * recovers no key. The header may be 27 to 34, as fc::ecc accepts.
   */
  public static Secp256k1PublicKey recover(byte[] hash, byte[] compact) {
    if (compact.length != 65 || hash.length != 32) {
      return null;
    }
    int header = compact[0] & 0xff;
    if (header < 27 || header > 34) {
      return null;
    }
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(compact, 1, 33));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(compact, 33, 65));
    if (s.compareTo(Secp256k1.HALF_N) > 0) {
      return null;
    }
    ECPoint q = Secp256k1.recover(hash, r, s, (header - 27) & 3);
    return q == null ? null : new Secp256k1PublicKey(q);
  }

  static boolean fcCanonical(byte[] c) {
    return (c[1] & 0x80) == 0 && !(c[1] == 0 && (c[2] & 0x80) == 0)
        && (c[33] & 0x80) == 0 && !(c[33] == 0 && (c[34] & 0x80) == 0);
  }

  private static void put32(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int len = Math.min(32, b.length);
    System.arraycopy(b, b.length - len, out, off + 32 - len, len);
  }

  /** RFC 6979 nonces; attempt n > 0 derives them from SHA-256(hash || n) so each retry differs. */
  private static final class CountedK implements DSAKCalculator {
    private final HMacDSAKCalculator inner = new HMacDSAKCalculator(new SHA256Digest());
    private final int attempt;

    CountedK(int attempt) {
      this.attempt = attempt;
    }

    @Override
    public boolean isDeterministic() {
      return true;
    }

    @Override
    public void init(BigInteger n, java.security.SecureRandom random) {
      throw new IllegalStateException("deterministic nonces only");
    }

    @Override
    public void init(BigInteger n, BigInteger d, byte[] message) {
      byte[] m = message;
      if (attempt > 0) {
        try {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          sha.update(message);
          sha.update(new byte[] {(byte) (attempt >>> 24), (byte) (attempt >>> 16), (byte) (attempt >>> 8), (byte) attempt});
          m = sha.digest();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
      inner.init(n, d, m);
    }

    @Override
    public BigInteger nextK() {
      return inner.nextK();
    }
  }
}
