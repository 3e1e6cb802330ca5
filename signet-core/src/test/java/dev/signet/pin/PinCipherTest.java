package dev.signet.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PinCipherTest {
  final Ed25519PrivateKey session = Fixtures.newEd25519();
  final X25519PrivateKey server = X25519PrivateKey.generate(Fixtures.RANDOM);

  @Test
  void seed003SixDigitPinRoundTrips() throws Exception {
    String ct = PinCipher.encrypt(PinCipher.digits("123456"), 1_763_000_000L, 7L, session, server.publicKey(), Fixtures.RANDOM);
    // IV + one block: 6 + 16 bytes pad to 32; base64url without padding.
    assertThat(Base64Url.decode(ct)).hasSize(48);
    PinBlock b = PinCipher.decrypt(ct, server, session.publicKey());
    assertThat(new String(b.pin(), StandardCharsets.US_ASCII)).isEqualTo("123456");
    assertThat(b.time()).isEqualTo(1_763_000_000L);
    assertThat(b.iterator()).isEqualTo(7L);
    assertThat(b.toString()).doesNotContain("123456");
  }

  @Test
  void newerSdkHexPinWithNanosecondIteratorRoundTrips() throws Exception {
    byte[] tipPin = Hex.decode("aa".repeat(64));
    long iterator = 1_763_000_000_123_456_789L;
    String ct = PinCipher.encrypt(tipPin, 1_763_000_000L, iterator, session, server.publicKey(), Fixtures.RANDOM);
    PinBlock b = PinCipher.decrypt(ct, server, session.publicKey());
    assertThat(b.pin()).isEqualTo(tipPin);
    assertThat(b.iterator()).isEqualTo(iterator);
  }

  @Test
  void conversionAgreesFromBothSides() {
    Ed25519PrivateKey other = Fixtures.newEd25519();
    byte[] ab = session.toX25519().agree(other.publicKey().toX25519());
    byte[] ba = other.toX25519().agree(session.publicKey().toX25519());
    assertThat(ab).isEqualTo(ba);
    assertThat(session.toX25519().publicKey()).isEqualTo(session.publicKey().toX25519());
  }

  @Test
  void refusesWrongKeysAndTampering() throws Exception {
    String ct = PinCipher.encrypt(PinCipher.digits("123456"), 1L, 1L, session, server.publicKey(), Fixtures.RANDOM);
    assertThatThrownBy(() -> PinCipher.decrypt(ct, server, Fixtures.newEd25519().publicKey()))
        .isInstanceOfSatisfying(PinException.class, e -> assertThat(e.reason()).isEqualTo(PinException.Reason.MALFORMED));
    byte[] raw = Base64Url.decode(ct);
    raw[raw.length - 1] ^= 1;
    String tampered = Base64Url.encode(raw);
    assertThatThrownBy(() -> PinCipher.decrypt(tampered, server, session.publicKey())).isInstanceOf(PinException.class);
    assertThatThrownBy(() -> PinCipher.decrypt("not base64!", server, session.publicKey())).isInstanceOf(PinException.class);
    assertThatThrownBy(() -> PinCipher.decrypt(ct.substring(0, 20), server, session.publicKey())).isInstanceOf(PinException.class);
    assertThatThrownBy(() -> PinCipher.digits("12345a")).isInstanceOf(IllegalArgumentException.class);
  }
}
