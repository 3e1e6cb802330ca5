package dev.signet.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.codec.Hex;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.verify.VerificationException;
import java.nio.charset.StandardCharsets;

/**
 * The compact JWS reader and the claims behind it, as every token reaches them: a parsed token or a
 * {@link VerificationException} naming the check, nothing else.
 */
class CompactJwsFuzzTest {
  private static final int MAX_LENGTH = 8192;
  /** The key the seed corpus's valid tokens are signed with, so the fuzzer starts past the signature. */
  static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromBytes(
      Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  private static final JwsKey VERIFY = JwsKey.eddsa(KEY.publicKey());
  private static final String[] CLAIMS = {"uid", "sid", "iss", "sub", "aud", "jti", "sig", "scp", "exp", "iat", "nbf"};

  @FuzzTest
  void compactJws(byte[] input) {
    String token = new String(input, StandardCharsets.ISO_8859_1);
    ParsedJws jws;
    try {
      jws = CompactJws.parse(token, MAX_LENGTH);
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
      return;
    }
    // What it accepts is ASCII base64url, and the signing input is the token's first two parts.
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(jws.header().algorithm()).isNotNull();
    try {
      jws.verify(VERIFY);
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
    }
    Claims claims;
    try {
      claims = Claims.parse(jws.payload());
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
      return;
    }
    for (String name : CLAIMS) {
      readEach(claims, name);
    }
    try {
      claims.audience();
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
    }
  }

  private static void readEach(Claims claims, String name) {
    claims.has(name);
    try {
      claims.string(name);
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
    }
    try {
      claims.optionalString(name);
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
    }
    try {
      claims.numericDate(name);
    } catch (VerificationException refused) {
      assertThat(refused.failure()).isNotNull();
    }
  }
}
