package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import dev.signet.testing.Fixtures;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeysTest {
  final Ed25519PrivateKey ed = Fixtures.newEd25519();

  @Test
  void ed25519PrivateKeyRoundTripsThroughEveryFormat() {
    byte[] sixtyFour = ed.toBytes64();
    for (String text : new String[] {
        ed.toBase64Url(),
        Base64.getUrlEncoder().encodeToString(sixtyFour),
        Base64Url.encode(ed.seed()),
        Hex.encode(sixtyFour),
        ed.toSeedHex(),
        ed.toPkcs8Pem()}) {
      Ed25519PrivateKey back = Ed25519PrivateKey.parse(text);
      assertThat(back.publicKey()).isEqualTo(ed.publicKey());
      assertThat(back.algorithm()).isEqualTo(KeyAlgorithm.ED25519);
    }
  }

  @Test
  void ed25519PublicKeyRoundTripsAndVerifies() {
    Ed25519PublicKey pub = ed.publicKey();
    for (String text : new String[] {pub.toBase64Url(), pub.toHex(), pub.toX509Pem()}) {
      assertThat(Ed25519PublicKey.parse(text)).isEqualTo(pub);
    }
    byte[] msg = "hello".getBytes();
    byte[] sig = ed.sign(msg);
    assertThat(pub.verify(sig, msg)).isTrue();
    sig[0] ^= 1;
    assertThat(pub.verify(sig, msg)).isFalse();
    assertThat(pub.verify(new byte[10], msg)).isFalse();
  }

  @Test
  void pkcs8PemInteroperatesWithTheJdk() throws Exception {
    var jdk = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String pem = new Pem("PRIVATE KEY", jdk.getPrivate().getEncoded()).encode();
    String pubPem = new Pem("PUBLIC KEY", jdk.getPublic().getEncoded()).encode();
    assertThat(Ed25519PrivateKey.parse(pem).publicKey()).isEqualTo(Ed25519PublicKey.parse(pubPem));
  }

  @Test
  void ed25519ErrorsAreTypedAndNeverEchoTheKey() {
    String secret = ed.toBase64Url();
    expect(() -> Ed25519PrivateKey.parse(secret.substring(0, 40)), KeyException.Reason.LENGTH, secret);
    byte[] mismatched = ed.toBytes64();
    mismatched[40] ^= 1;
    expect(() -> Ed25519PrivateKey.fromBytes(mismatched), KeyException.Reason.MISMATCH, secret);
    expect(() -> Ed25519PrivateKey.parse("%%%" + secret), KeyException.Reason.ENCODING, secret);
    expect(() -> Ed25519PrivateKey.parse(Fixtures.RSA.toPkcs1Pem()), KeyException.Reason.WRONG_TYPE, null);
    expect(() -> Ed25519PrivateKey.parse(Fixtures.RSA.toPkcs8Pem()), KeyException.Reason.WRONG_TYPE, null);
    String pem = ed.toPkcs8Pem();
    expect(() -> Ed25519PrivateKey.parse(pem.substring(0, pem.indexOf("-----END"))), KeyException.Reason.ENCODING, null);
    expect(() -> Ed25519PrivateKey.parse(pem.replace("END PRIVATE", "END PUBLIC")), KeyException.Reason.ENCODING, null);
    expect(() -> Ed25519PublicKey.parse(Hex.encode(new byte[31])), KeyException.Reason.LENGTH, null);
    // y = 1 is the identity point: small order, refused.
    byte[] identity = new byte[32];
    identity[0] = 1;
    expect(() -> Ed25519PublicKey.fromBytes(identity), KeyException.Reason.INVALID, null);
  }

  @Test
  void rsaKeysRoundTripThroughPkcs1AndPkcs8() {
    RsaPrivateKey rsa = Fixtures.RSA;
    assertThat(RsaPrivateKey.parse(rsa.toPkcs1Pem()).publicKey()).isEqualTo(rsa.publicKey());
    assertThat(RsaPrivateKey.parse(rsa.toPkcs8Pem()).publicKey()).isEqualTo(rsa.publicKey());
    assertThat(RsaPublicKey.parse(rsa.publicKey().toPkcs1Pem())).isEqualTo(rsa.publicKey());
    assertThat(RsaPublicKey.parse(rsa.publicKey().toX509Pem())).isEqualTo(rsa.publicKey());
    assertThat(SigningKey.parse(rsa.toPkcs1Pem())).isInstanceOf(RsaPrivateKey.class);
    assertThat(SigningKey.parse(rsa.toPkcs8Pem())).isInstanceOf(RsaPrivateKey.class);
    assertThat(SigningKey.parse(ed.toPkcs8Pem())).isInstanceOf(Ed25519PrivateKey.class);
    assertThat(rsa.toString()).doesNotContain(rsa.toPkcs1Pem().substring(40, 80));
  }

  @Test
  void weakRsaKeysAreRefusedUnlessAskedForLegacy() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    var kp = g.generateKeyPair();
    String pem = new Pem("PRIVATE KEY", kp.getPrivate().getEncoded()).encode();
    expect(() -> RsaPrivateKey.parse(pem), KeyException.Reason.WEAK, null);
    assertThat(RsaPrivateKey.parse(pem, 1024).bits()).isEqualTo(1024);
    expect(() -> RsaPrivateKey.generate(1024, Fixtures.RANDOM), KeyException.Reason.WEAK, null);
    g.initialize(512);
    String tiny = new Pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded()).encode();
    expect(() -> RsaPrivateKey.parse(tiny, 512), KeyException.Reason.WEAK, null);
  }

  @Test
  void corruptRsaPemIsAnEncodingError() {
    String pem = Fixtures.RSA.toPkcs1Pem();
    String[] lines = pem.split("\n");
    lines[3] = lines[3].substring(0, 10);
    expect(() -> RsaPrivateKey.parse(String.join("\n", lines)), KeyException.Reason.ENCODING, null);
    // A well-formed public key of another algorithm is the wrong type, not a corrupt one.
    expect(() -> RsaPublicKey.parse(ed.publicKey().toX509Pem()), KeyException.Reason.WRONG_TYPE, null);
  }

  @Test
  void grapheneKeysRoundTripWithChecksums() {
    Secp256k1PrivateKey k = Secp256k1PrivateKey.generate(Fixtures.RANDOM);
    String wif = k.toWif();
    assertThat(wif).startsWith("5");
    assertThat(Secp256k1PrivateKey.parseWif(wif).publicKey()).isEqualTo(k.publicKey());
    String pub = k.publicKey().toGraphene("STM");
    assertThat(Secp256k1PublicKey.parseGraphene(pub, "STM")).isEqualTo(k.publicKey());
    assertThat(Secp256k1PublicKey.parseGraphene(pub)).isEqualTo(k.publicKey());
    expect(() -> Secp256k1PublicKey.parseGraphene(pub, "TST"), KeyException.Reason.WRONG_TYPE, null);
    String badChecksum = pub.substring(0, pub.length() - 1) + (pub.endsWith("1") ? "2" : "1");
    expect(() -> Secp256k1PublicKey.parseGraphene(badChecksum, "STM"), KeyException.Reason.CHECKSUM, null);
    char[] w = wif.toCharArray();
    w[10] = w[10] == 'a' ? 'b' : 'a';
    expect(() -> Secp256k1PrivateKey.parseWif(new String(w)), KeyException.Reason.CHECKSUM, wif);
    expect(() -> Secp256k1PrivateKey.parseWif(wif.substring(0, 30)), KeyException.Reason.LENGTH, wif);
    expect(() -> Secp256k1PrivateKey.parseWif("0OIl" + wif), KeyException.Reason.ENCODING, wif);
  }

  @Test
  void knownWifMatchesItsKnownPublicKey() {
    // The Bitcoin wiki's WIF example: its private key and (compressed) public key are published.
    String wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    Secp256k1PrivateKey k = Secp256k1PrivateKey.parseWif(wif);
    assertThat(Hex.encode(k.toBytes())).isEqualTo("0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d");
    assertThat(k.toWif()).isEqualTo(wif);
    assertThat(Hex.encode(k.publicKey().compressed()))
        .isEqualTo("02d0de0aaeaefad02b8bdc8a01a1b8b11c696bd3d66a2c5f10780d95b7df42645c");
    String stm = k.publicKey().toGraphene("STM");
    assertThat(Secp256k1PublicKey.parseGraphene(stm, "STM")).isEqualTo(k.publicKey());
  }

  @Test
  void x25519KeysParseFromBase64AndHex() {
    X25519PrivateKey x = X25519PrivateKey.generate(Fixtures.RANDOM);
    X25519PublicKey pub = x.publicKey();
    assertThat(X25519PublicKey.parse(pub.toBase64Url())).isEqualTo(pub);
    assertThat(X25519PublicKey.parse(Base64.getEncoder().encodeToString(pub.toBytes()))).isEqualTo(pub);
    assertThat(X25519PublicKey.parse(pub.toHex())).isEqualTo(pub);
    assertThat(Arrays.equals(X25519PrivateKey.parse(Hex.encode(x.toBytes())).toBytes(), x.toBytes())).isTrue();
    expect(() -> X25519PublicKey.parse("AAAA"), KeyException.Reason.LENGTH, null);
  }

  @Test
  void everyKeyKnowsItsAlgorithm() {
    Secp256k1PrivateKey k1 = Secp256k1PrivateKey.generate(Fixtures.RANDOM);
    X25519PrivateKey x = X25519PrivateKey.generate(Fixtures.RANDOM);
    assertThat(ed.publicKey().algorithm()).isEqualTo(KeyAlgorithm.ED25519);
    assertThat(Fixtures.RSA.algorithm()).isEqualTo(KeyAlgorithm.RSA);
    assertThat(Fixtures.RSA.publicKey().algorithm()).isEqualTo(KeyAlgorithm.RSA);
    assertThat(k1.algorithm()).isEqualTo(KeyAlgorithm.SECP256K1);
    assertThat(k1.publicKey().algorithm()).isEqualTo(KeyAlgorithm.SECP256K1);
    assertThat(x.algorithm()).isEqualTo(KeyAlgorithm.X25519);
    assertThat(x.publicKey().algorithm()).isEqualTo(KeyAlgorithm.X25519);
  }

  static void expect(Runnable r, KeyException.Reason reason, String secret) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(KeyException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).startsWith(reason.code());
      if (secret != null) {
        assertThat(e.getMessage()).doesNotContain(secret.substring(0, 16));
      }
    });
  }
}
