package dev.signet.pin;

import dev.signet.codec.Base64Url;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.KeyException;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The Mixin PIN encryption (seed 003): the session's Ed25519 key is converted to X25519 and agreed
 * with the server's PIN token; the shared secret is the AES-256 key; the plaintext is
 * {@code pin || LE u64 time || LE u64 iterator}, PKCS#7-padded, AES-CBC with a random IV prepended,
 * the whole base64url (unpadded).
 */
public final class PinCipher {
  private static final int MAX_PIN_BYTES = 512;

  private PinCipher() {}

  /** Client side: encrypt for the server whose PIN token is {@code pinToken}. */
  public static String encrypt(byte[] pin, long time, long iterator, Ed25519PrivateKey sessionKey,
      X25519PublicKey pinToken, SecureRandom random) {
    if (pin.length == 0 || pin.length > MAX_PIN_BYTES) {
      throw new IllegalArgumentException("PIN must be 1 to " + MAX_PIN_BYTES + " bytes");
    }
    byte[] key = sessionKey.toX25519().agree(pinToken);
    byte[] plain = ByteBuffer.allocate(pin.length + 16).order(ByteOrder.LITTLE_ENDIAN)
        .put(pin).putLong(time).putLong(iterator).array();
    byte[] iv = new byte[AesCbc.BLOCK];
    random.nextBytes(iv);
    byte[] ct = AesCbc.encrypt(key, iv, plain);
    Arrays.fill(key, (byte) 0);
    Arrays.fill(plain, (byte) 0);
    byte[] out = Arrays.copyOf(iv, iv.length + ct.length);
    System.arraycopy(ct, 0, out, iv.length, ct.length);
    return Base64Url.encode(out);
  }

  /** The PIN of a seed 003 client: its 6 ASCII digits. */
  public static byte[] digits(String pin) {
    if (!pin.matches("[0-9]{6}")) {
      throw new IllegalArgumentException("PIN must be 6 digits");
    }
    return pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Server side: decrypt with the session's PIN key and the session's registered Ed25519 key.
   *
   * @throws PinException naming what is wrong; never the plaintext
   */
  public static PinBlock decrypt(String ciphertext, X25519PrivateKey pinKey, Ed25519PublicKey sessionPublic)
      throws PinException {
    byte[] raw;
    try {
      raw = Base64Url.decodeLenient(ciphertext);
    } catch (IllegalArgumentException e) {
      throw new PinException(PinException.Reason.MALFORMED, "encrypted PIN is not base64url");
    }
    if (raw.length < 2 * AesCbc.BLOCK || raw.length % AesCbc.BLOCK != 0 || raw.length > MAX_PIN_BYTES + 64) {
      throw new PinException(PinException.Reason.MALFORMED, "encrypted PIN has an impossible length");
    }
    byte[] key;
    try {
      key = pinKey.agree(sessionPublic.toX25519());
    } catch (KeyException e) {
      throw new PinException(PinException.Reason.MALFORMED, "session key cannot agree a PIN key");
    }
    byte[] plain = AesCbc.decrypt(key, Arrays.copyOf(raw, AesCbc.BLOCK), Arrays.copyOfRange(raw, AesCbc.BLOCK, raw.length));
    Arrays.fill(key, (byte) 0);
    if (plain == null || plain.length <= 16) {
      throw new PinException(PinException.Reason.MALFORMED, "encrypted PIN does not decrypt under this session's key");
    }
    ByteBuffer b = ByteBuffer.wrap(plain, plain.length - 16, 16).order(ByteOrder.LITTLE_ENDIAN);
    PinBlock block = new PinBlock(Arrays.copyOf(plain, plain.length - 16), b.getLong(), b.getLong());
    Arrays.fill(plain, (byte) 0);
    return block;
  }
}
