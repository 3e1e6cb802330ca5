package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.signet.codec.Hex;
import dev.signet.testing.Edwards25519;
import dev.signet.testing.Edwards25519.Point;
import dev.signet.testing.Providers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The acceptance rule written on {@link Ed25519PublicKey}, case by case, on both providers. The
 * edge-case signatures are made with the secret scalar and textbook arithmetic
 * ({@link Edwards25519}), as only a key's holder could make them.
 */
class Ed25519StrictnessTest {
  private static final byte[] MSG = "GET/me".getBytes(StandardCharsets.UTF_8);
  private final Random random = new Random(8032);
  private final byte[] seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private final Ed25519PrivateKey key = Ed25519PrivateKey.fromBytes(seed);
  private final byte[] pk = key.publicKey().toBytes();
  private final BigInteger a = Edwards25519.secretScalar(seed);

  /** A signature whose R is the given point, with S solving the cofactorless equation for r. */
  private byte[] signWithR(Point r, BigInteger rScalar, byte[] rEncoding) {
    BigInteger k = Edwards25519.challenge(rEncoding, pk, MSG);
    return Edwards25519.signature(rEncoding, rScalar.add(k.multiply(a)).mod(Edwards25519.L));
  }

  private BigInteger randomScalar() {
    return new BigInteger(256, random).mod(Edwards25519.L);
  }

  private record Case(String name, byte[] signature, boolean sodium, boolean java) {}

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    byte[] good = key.sign(MSG);
    cases.add(new Case("an honest signature", good, true, true));
    BigInteger r = randomScalar();
    Point bigR = Edwards25519.BASE.times(r);
    byte[] textbook = signWithR(bigR, r, bigR.encode());
    cases.add(new Case("a textbook signature (the arithmetic agrees)", textbook, true, true));

    BigInteger s = Edwards25519.fromLittleEndian(java.util.Arrays.copyOfRange(textbook, 32, 64));
    cases.add(new Case("S + L: non-canonical S", Edwards25519.signature(bigR.encode(), s.add(Edwards25519.L)), false, false));
    byte[] highS = textbook.clone();
    highS[63] |= (byte) 0xe0;
    cases.add(new Case("S with its top three bits set", highS, false, false));

    for (int i = 0; i < 8; i++) {
      Point t = Edwards25519.ORDER_8.times(BigInteger.valueOf(i));
      cases.add(new Case("R of small order (8T·" + i + "), S = k·a", signWithR(t, BigInteger.ZERO, t.encode()), false, false));
    }
    // y = p + 1 is the identity written non-canonically; S = k·a makes the equation hold.
    byte[] nonCanonicalIdentity = Edwards25519.littleEndian(Edwards25519.P.add(BigInteger.ONE));
    cases.add(new Case("R = identity with a non-canonical y (p + 1)",
        signWithR(Edwards25519.IDENTITY, BigInteger.ZERO, nonCanonicalIdentity), false, false));
    byte[] negativeZero = Edwards25519.IDENTITY.encode();
    negativeZero[31] |= (byte) 0x80;
    cases.add(new Case("R = identity with x = -0", signWithR(Edwards25519.IDENTITY, BigInteger.ZERO, negativeZero), false, false));
    byte[] notOnCurve = textbook.clone();
    notOnCurve[0] = 2;
    java.util.Arrays.fill(notOnCurve, 1, 32, (byte) 0);
    cases.add(new Case("R not on the curve (y = 2)", notOnCurve, false, false));

    // The one documented difference: R with a torsion component, made with the secret scalar.
    for (int i = 1; i < 8; i++) {
      Point mixed = bigR.add(Edwards25519.ORDER_8.times(BigInteger.valueOf(i)));
      cases.add(new Case("R of mixed order (rB + 8T·" + i + ")", signWithR(mixed, r, mixed.encode()), false, true));
    }

    byte[] flipped = good.clone();
    flipped[5] ^= 1;
    cases.add(new Case("a changed R", flipped, false, false));
    byte[] flippedS = good.clone();
    flippedS[40] ^= 1;
    cases.add(new Case("a changed S", flippedS, false, false));
    cases.add(new Case("63 bytes", java.util.Arrays.copyOf(good, 63), false, false));
    cases.add(new Case("65 bytes", java.util.Arrays.copyOf(good, 65), false, false));
    cases.add(new Case("all zero", new byte[64], false, false));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> everyCaseOnBothProviders() {
    return Providers.ed25519().stream().flatMap(provider -> cases().stream().map(c ->
        dynamicTest(provider.id() + ": " + c.name(), () -> {
          boolean expected = provider.id().equals("libsodium") ? c.sodium() : c.java();
          assertThat(key.publicKey().using(provider).verify(c.signature(), MSG)).isEqualTo(expected);
        })));
  }

  @Test
  void publicKeysOfSmallOrderMixedOrderOrNonCanonicalAreRefusedBeforeAnyProvider() {
    Point aPoint = Edwards25519.decode(pk);
    byte[] mixed = aPoint.add(Edwards25519.ORDER_8).encode();
    byte[] nonCanonical = Edwards25519.littleEndian(Edwards25519.P.add(BigInteger.ONE));
    byte[] smallOrder = Edwards25519.ORDER_8.encode();
    for (byte[] bad : List.of(mixed, nonCanonical, smallOrder)) {
      assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(bad)).isInstanceOf(KeyException.class)
          .extracting(e -> ((KeyException) e).reason()).isEqualTo(KeyException.Reason.INVALID);
    }
  }

  /** RFC 8032 section 7.1, tests 1-3: both providers sign identically and verify each other. */
  @Test
  void bothProvidersSignTheRfc8032VectorsIdentically() {
    String[][] vectors = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };
    for (String[] v : vectors) {
      byte[] msg = Hex.decode(v[1]);
      for (Ed25519Provider signer : Providers.ed25519()) {
        Ed25519PrivateKey k = Ed25519PrivateKey.fromBytes(Hex.decode(v[0])).using(signer);
        assertThat(Hex.encode(k.sign(msg))).as(signer.id()).isEqualTo(v[2]);
        for (Ed25519Provider verifier : Providers.ed25519()) {
          assertThat(k.publicKey().using(verifier).verify(Hex.decode(v[2]), msg)).isTrue();
        }
      }
    }
  }

  @Test
  void aSliceOfALargerArrayVerifiesOnBoth() {
    byte[] framed = new byte[MSG.length + 10];
    System.arraycopy(MSG, 0, framed, 7, MSG.length);
    byte[] sig = key.sign(MSG);
    for (Ed25519Provider p : Providers.ed25519()) {
      assertThat(key.publicKey().using(p).verify(sig, framed, 7, MSG.length)).as(p.id()).isTrue();
      assertThat(key.publicKey().using(p).verify(sig, framed, 6, MSG.length)).as(p.id()).isFalse();
    }
  }

  @Test
  void choicesAndPlatforms() {
    assertThat(Ed25519Provider.select(Ed25519Provider.Choice.JAVA).provider().id()).isEqualTo("bouncycastle");
    assertThat(Ed25519Provider.select(Ed25519Provider.Choice.NATIVE).provider().id()).isEqualTo("libsodium");
    assertThat(Ed25519Provider.preferred().provider().id()).isEqualTo("libsodium");
    assertThat(Ed25519Provider.preferred().fellBack()).isFalse();
    assertThat(Ed25519Provider.Choice.parse(" Native ")).isEqualTo(Ed25519Provider.Choice.NATIVE);
    assertThatThrownBy(() -> Ed25519Provider.Choice.parse("fast")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, native or java");
    assertThat(SodiumEd25519.resourceFor("Linux", "amd64")).isEqualTo("linux64/libsodium.so");
    assertThat(SodiumEd25519.resourceFor("Linux", "aarch64")).isEqualTo("arm64/libsodium.so");
    assertThat(SodiumEd25519.resourceFor("Mac OS X", "aarch64")).isEqualTo("mac_arm/libsodium.dylib");
    assertThat(SodiumEd25519.resourceFor("Windows 11", "amd64")).isEqualTo("windows64/libsodium.dll");
    assertThat(SodiumEd25519.resourceFor("FreeBSD", "amd64")).isNull();
    assertThat(Providers.sodium().description()).startsWith("libsodium 1.0.");
  }
}
