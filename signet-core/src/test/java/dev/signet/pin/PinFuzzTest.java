package dev.signet.pin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.codec.Hex;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encrypted PIN blocks as the PIN endpoint receives them: a block or a {@link PinException}, never
 * another exception; and every PIN, time and counter a client encrypts decrypts to the same block.
 */
class PinFuzzTest {
  private static final Ed25519PrivateKey SESSION = Ed25519PrivateKey.fromBytes(
      Hex.decode("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"));
  private static final X25519PrivateKey PIN_KEY = X25519PrivateKey.fromBytes(
      Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  private static final SecureRandom RANDOM = new SecureRandom();

  @FuzzTest
  void pinBlock(byte[] input) {
    // What a client may send: anything, as the text of the request's "pin" field.
    PinBlock received = decrypt(new String(input, StandardCharsets.UTF_8));
    if (received != null) {
      assertThat(received.pin()).isNotEmpty();
    }
    // What a client encrypts, the server reads back unchanged: the input as PIN, time and counter.
    if (input.length > 0) {
      byte[] pin = Arrays.copyOf(input, Math.min(input.length, 512));
      long time = input.length * 7919L - Byte.toUnsignedLong(input[0]);
      long iterator = ~time;
      PinBlock block = decrypt(PinCipher.encrypt(pin, time, iterator, SESSION, PIN_KEY.publicKey(), RANDOM));
      assertThat(block).isNotNull();
      assertThat(block.pin()).isEqualTo(pin);
      assertThat(block.time()).isEqualTo(time);
      assertThat(block.iterator()).isEqualTo(iterator);
    }
  }

  private static PinBlock decrypt(String ciphertext) {
    try {
      return PinCipher.decrypt(ciphertext, PIN_KEY, SESSION.publicKey());
    } catch (PinException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return null;
    }
  }
}
