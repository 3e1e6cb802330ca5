package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Every reader of key material a user or a peer hands Signet: a key or a {@link KeyException},
 * nothing else; a refusal never quotes the text it refused (it may be a private key); and every
 * key that is read writes back to text that reads as the same key.
 */
class KeyParsingFuzzTest {
  /** Weak RSA keys are refused by policy, not by the parser: read down to the legacy floor. */
  private static final int LEGACY_RSA_BITS = 1024;

  @FuzzTest
  void keystore(byte[] input) {
    String json = new String(input, StandardCharsets.UTF_8);
    Keystore keystore = readSecret(json, Keystore::parse);
    if (keystore != null) {
      assertThat(Keystore.parse(keystore.toJson()).toJson()).isEqualTo(keystore.toJson());
    }
  }

  @FuzzTest
  void pemAndText(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Pem pem = read(text, Pem::parse);
    if (pem != null) {
      Pem again = Pem.parse(pem.encode());
      assertThat(again.label()).isEqualTo(pem.label());
      assertThat(again.der()).isEqualTo(pem.der());
    }
    Ed25519PublicKey edPublic = read(text, Ed25519PublicKey::parse);
    if (edPublic != null) {
      assertThat(Ed25519PublicKey.parse(edPublic.toX509Pem())).isEqualTo(edPublic);
      assertThat(Ed25519PublicKey.parse(edPublic.toBase64Url())).isEqualTo(edPublic);
    }
    Ed25519PrivateKey edPrivate = readSecret(text, Ed25519PrivateKey::parse);
    if (edPrivate != null) {
      assertThat(Ed25519PrivateKey.parse(edPrivate.toPkcs8Pem()).publicKey()).isEqualTo(edPrivate.publicKey());
      assertThat(Ed25519PrivateKey.parse(edPrivate.toSeedHex()).publicKey()).isEqualTo(edPrivate.publicKey());
    }
    X25519PublicKey xPublic = read(text, X25519PublicKey::parse);
    if (xPublic != null) {
      assertThat(X25519PublicKey.parse(xPublic.toBase64Url())).isEqualTo(xPublic);
    }
    readSecret(text, X25519PrivateKey::parse);
    RsaPublicKey rsaPublic = read(text, t -> RsaPublicKey.parse(t, LEGACY_RSA_BITS));
    if (rsaPublic != null) {
      assertThat(RsaPublicKey.parse(rsaPublic.toX509Pem(), LEGACY_RSA_BITS).jdkKey())
          .isEqualTo(rsaPublic.jdkKey());
      assertThat(RsaPublicKey.parse(rsaPublic.toPkcs1Pem(), LEGACY_RSA_BITS).jdkKey())
          .isEqualTo(rsaPublic.jdkKey());
    }
    RsaPrivateKey rsaPrivate = readSecret(text, t -> RsaPrivateKey.parse(t, LEGACY_RSA_BITS));
    if (rsaPrivate != null) {
      assertThat(RsaPrivateKey.parse(rsaPrivate.toPkcs1Pem(), LEGACY_RSA_BITS).publicKey().jdkKey())
          .isEqualTo(rsaPrivate.publicKey().jdkKey());
    }
    readSecret(text, t -> SigningKey.parse(t, LEGACY_RSA_BITS));
  }

  @FuzzTest
  void grapheneKeys(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Secp256k1PrivateKey wif = readSecret(text, Secp256k1PrivateKey::parseWif);
    if (wif != null) {
      assertThat(Secp256k1PrivateKey.parseWif(wif.toWif()).toWif()).isEqualTo(wif.toWif());
    }
    Secp256k1PublicKey prefixed = read(text, Secp256k1PublicKey::parseGraphene);
    if (prefixed != null) {
      String prefix = text.strip().replaceAll("^([A-Z]+).*", "$1");
      assertThat(Secp256k1PublicKey.parseGraphene(prefixed.toGraphene(prefix))).isEqualTo(prefixed);
    }
    read(text, t -> Secp256k1PublicKey.parseGraphene(t, "STM"));
    if (input.length == 33 || input.length == 65) {
      read(input, Secp256k1PublicKey::fromBytes);
    }
  }

  @FuzzTest
  void signatures(byte[] input) {
    // A recovered key, a DER signature checked against a fixed key: an answer, never an exception
    // other than the typed one.
    byte[] hash = new byte[32];
    System.arraycopy(input, 0, hash, 0, Math.min(32, input.length));
    byte[] rest = input.length > 32 ? java.util.Arrays.copyOfRange(input, 32, input.length) : new byte[0];
    read(rest, compact -> GrapheneSignature.recover(hash, compact));
    Secp256k1.verifyDer(SIGNER.publicKey().compressed(), hash, rest, true);
    Secp256k1.verifyDer(SIGNER.publicKey().compressed(), hash, rest, false);
    SIGNER.publicKey().verifyCompact(hash, rest);
    Ed25519PublicKey ed = read(hash, Ed25519PublicKey::fromBytes);
    if (ed != null) {
      ed.verify(rest, hash);
    }
  }

  private static final Secp256k1PrivateKey SIGNER = Secp256k1PrivateKey.fromBytes(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

  /** The parsed value, or null when the parser refused it the one way it may. */
  private static <I, T> T read(I input, Function<I, T> parser) {
    try {
      return parser.apply(input);
    } catch (KeyException refused) {
      assertThat(refused.reason()).isNotNull();
      assertThat(refused.getMessage()).isNotBlank();
      return null;
    }
  }

  /** As {@link #read}, for text that may hold a private key: the refusal must not repeat it. */
  private static <T> T readSecret(String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (KeyException refused) {
      assertThat(refused.reason()).isNotNull();
      if (text.strip().length() >= 12) {
        assertThat(refused.getMessage()).doesNotContain(text.strip());
      }
      return null;
    }
  }
}
