package dev.signet.keys;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/** secp256k1 arithmetic Signet needs: strict verification and public key recovery. */
public final class Secp256k1 {
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  static final BigInteger N = CURVE.getN();
  static final BigInteger HALF_N = N.shiftRight(1);

  private Secp256k1() {}

  static ECPoint decodePoint(byte[] encoded) {
    if (encoded.length != 33 && encoded.length != 65) {
      throw new KeyException(KeyException.Reason.LENGTH,
          "secp256k1 public key must be 33 or 65 bytes, got " + encoded.length);
    }
    try {
      ECPoint p = CURVE.getCurve().decodePoint(encoded);
      if (p.isInfinity() || !p.isValid()) {
        throw new KeyException(KeyException.Reason.INVALID, "not a valid secp256k1 point");
      }
      return p.normalize();
    } catch (IllegalArgumentException e) {
      throw new KeyException(KeyException.Reason.INVALID, "not a valid secp256k1 point");
    }
  }

  /**
   * ECDSA verification of a DER signature over a 32-byte hash. With {@code requireLowS}, a signature
   * whose s is above n/2 is refused, as Bitcoin and Graphene nodes do against malleability.
   */
  public static boolean verifyDer(byte[] publicKey, byte[] hash, byte[] der, boolean requireLowS) {
    BigInteger[] rs = StrictDer.decodeSignature(der);
    if (rs == null) {
      return false;
    }
    return verify(decodePoint(publicKey), hash, rs[0], rs[1], requireLowS);
  }

  static boolean verify(ECPoint q, byte[] hash, BigInteger r, BigInteger s, boolean requireLowS) {
    if (!inRange(r) || !inRange(s) || (requireLowS && s.compareTo(HALF_N) > 0)) {
      return false;
    }
    ECDSASigner v = new ECDSASigner();
    v.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return v.verifySignature(hash, r, s);
  }

  /** SEC 1 section 4.1.6: the public key that made (r, s) over {@code hash}, or null. */
  static ECPoint recover(byte[] hash, BigInteger r, BigInteger s, int recId) {
    if (!inRange(r) || !inRange(s) || recId < 0 || recId > 3) {
      return null;
    }
    BigInteger x = r.add(N.multiply(BigInteger.valueOf(recId / 2)));
    if (x.compareTo(CURVE.getCurve().getField().getCharacteristic()) >= 0) {
      return null;
    }
    byte[] compressed = new byte[33];
    compressed[0] = (byte) ((recId & 1) == 0 ? 0x02 : 0x03);
    byte[] xb = x.toByteArray();
    int len = Math.min(xb.length, 32);
    System.arraycopy(xb, xb.length - len, compressed, 33 - len, len);
    ECPoint bigR;
    try {
      bigR = CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException e) {
      return null;
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = e.negate().multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, bigR, u2).normalize();
    return q.isInfinity() ? null : q;
  }

  static boolean inRange(BigInteger v) {
    return v.signum() > 0 && v.compareTo(N) < 0;
  }
}
