package dev.signet.pin;

import java.security.GeneralSecurityException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-CBC with PKCS#5/7 padding, on the JDK's AES (hardware-accelerated). */
public final class AesCbc {
  public static final int BLOCK = 16;

  private AesCbc() {}

  public static byte[] encrypt(byte[] key, byte[] iv, byte[] plain) {
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return c.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("AES-CBC encryption failed: " + e.getClass().getSimpleName());
    }
  }

  /** The plaintext, or null when the ciphertext is not a whole number of blocks or its padding is bad. */
  public static byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext) {
    if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
      return null;
    }
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return c.doFinal(ciphertext);
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("AES-CBC key or IV rejected: " + e.getClass().getSimpleName());
    }
  }
}
