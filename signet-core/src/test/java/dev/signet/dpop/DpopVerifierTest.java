package dev.signet.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.keys.Ed25519Provider;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 9449 section 4.3's checks, each refusal case on its own. */
class DpopVerifierTest {
  static final String URI = "https://api.example.com/me";
  static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln";
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  final DpopVerifier verifier = new DpopVerifier(clock, VerifierPolicy.defaults(), Ed25519Provider.java(), null);
  final DpopSigner ed = DpopSigner.ed25519(Fixtures.newEd25519(), clock);

  static KeyPair generate(String alg, Object spec) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (spec instanceof Integer bits) {
      g.initialize(bits);
    } else {
      g.initialize((ECGenParameterSpec) spec);
    }
    return g.generateKeyPair();
  }

  VerificationException refusal(String proof, String method, String uri, String token, String jkt) {
    try {
      verifier.check(proof, method, uri, token, jkt);
    } catch (VerificationException e) {
      return e;
    }
    throw new AssertionError("proof was accepted");
  }

  Failure failure(String proof, String method, String uri, String token, String jkt) {
    return refusal(proof, method, uri, token, jkt).failure();
  }

  String message(String proof, String method, String uri, String token, String jkt) {
    return refusal(proof, method, uri, token, jkt).getMessage();
  }

  Map<String, Object> header(DpopSigner s) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("typ", "dpop+jwt");
    h.put("alg", "EdDSA");
    h.put("jwk", s.publicJwk());
    return h;
  }

  Map<String, Object> claims(String method, String uri) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("jti", "j-" + System.nanoTime());
    c.put("htm", method);
    c.put("htu", uri);
    c.put("iat", clock.instant().getEpochSecond());
    c.put("ath", DpopVerifier.accessTokenHash(TOKEN));
    return c;
  }

  @Test
  void acceptsEdDsaAndEs256ProofsBoundToTheirKey() throws Exception {
    DpopVerifier.Checked c = verifier.check(ed.proof("GET", URI + "?q=1", TOKEN, null), "GET", URI + "?other=2", TOKEN, ed.thumbprint());
    assertThat(c.thumbprint()).isEqualTo(ed.thumbprint());
    assertThat(c.replayId()).startsWith("dpop:" + ed.thumbprint() + ":");
    DpopSigner es = DpopSigner.es256(generate("EC", new ECGenParameterSpec("secp256r1")), clock);
    assertThat(verifier.check(es.proof("POST", URI, null, null), "POST", URI, null, null).thumbprint()).isEqualTo(es.thumbprint());
  }

  @Test
  void acceptsRs256AndPs256ProofsFromTheJdk() throws Exception {
    KeyPair rsa = generate("RSA", 2048);
    RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
    Map<String, Object> jwk = Map.of("kty", "RSA", "n", b64(pub.getModulus()), "e", b64(pub.getPublicExponent()));
    for (String alg : new String[] {"RS256", "PS256"}) {
      Map<String, Object> h = Map.of("typ", "dpop+jwt", "alg", alg, "jwk", jwk);
      String input = Base64Url.encode(StrictJson.write(h)) + "." + Base64Url.encode(StrictJson.write(claims("GET", URI)));
      Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "RSASSA-PSS");
      if (alg.equals("PS256")) {
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
      s.initSign(rsa.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      String proof = input + "." + Base64Url.encode(s.sign());
      assertThat(verifier.check(proof, "GET", URI, TOKEN, null).thumbprint()).hasSize(43);
    }
  }

  @Test
  void wrongHtm() {
    assertThat(message(ed.proof("POST", URI, TOKEN, null), "GET", URI, TOKEN, null)).contains("htm");
  }

  @Test
  void wrongHtuSchemeHostPortOrPath() {
    for (String other : new String[] {"http://api.example.com/me", "https://evil.example.com/me", "https://api.example.com:8443/me",
        "https://api.example.com/me/", "https://api.example.com/you"}) {
      assertThat(failure(ed.proof("GET", other, TOKEN, null), "GET", URI, TOKEN, null)).as(other).isEqualTo(Failure.DPOP_PROOF);
    }
  }

  @Test
  void htuIsComparedAfterNormalisation() throws Exception {
    for (String same : new String[] {"HTTPS://API.example.com:443/me", "https://api.example.com/a/../me", "https://api.example.com/%6De",
        "https://api.example.com/me#frag", "https://api.example.com/me?x=1"}) {
      verifier.check(ed.sign(header(ed), Map.of("jti", "n-" + same, "htm", "GET", "htu", same, "iat", clock.instant().getEpochSecond(),
          "ath", DpopVerifier.accessTokenHash(TOKEN))), "GET", URI, TOKEN, null);
    }
    assertThat(Htu.normalize("https://h/a%2fb")).isEqualTo("https://h/a%2Fb");
    assertThat(Htu.normalize("https://h")).isEqualTo("https://h/");
    assertThat(Htu.normalize("ftp://h/x")).isNull();
    assertThat(Htu.normalize("/relative")).isNull();
    assertThat(Htu.normalize("https://user:pw@h/x")).isNull();
  }

  @Test
  void missingOrWrongAth() {
    Map<String, Object> c = claims("GET", URI);
    c.remove("ath");
    assertThat(message(ed.sign(header(ed), c), "GET", URI, TOKEN, null)).contains("ath").contains("missing");
    assertThat(message(ed.proof("GET", URI, TOKEN + "x", null), "GET", URI, TOKEN, null)).contains("ath is not the hash");
  }

  @Test
  void iatOutsideTheWindow() {
    Map<String, Object> old = claims("GET", URI);
    old.put("iat", clock.instant().getEpochSecond() - 301);
    assertThat(message(ed.sign(header(ed), old), "GET", URI, TOKEN, null)).contains("outside");
    Map<String, Object> future = claims("GET", URI);
    future.put("iat", clock.instant().getEpochSecond() + 31);
    assertThat(message(ed.sign(header(ed), future), "GET", URI, TOKEN, null)).contains("future");
  }

  @Test
  void hmacAndNoneAndUnknownAlgorithms() throws Exception {
    for (String alg : new String[] {"HS256", "none", "ES512", "RS512", "Ed448", "eddsa"}) {
      Map<String, Object> h = header(ed);
      h.put("alg", alg);
      assertThat(message(ed.sign(h, claims("GET", URI)), "GET", URI, TOKEN, null)).as(alg).contains("is not accepted");
    }
    // An HMAC proof "keyed" with the jwk's public bytes, as an algorithm-confusion attack would make it.
    Map<String, Object> h = header(ed);
    h.put("alg", "HS256");
    String input = Base64Url.encode(StrictJson.write(h)) + "." + Base64Url.encode(StrictJson.write(claims("GET", URI)));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ed.publicJwk().get("x").toString().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String forged = input + "." + Base64Url.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    assertThat(failure(forged, "GET", URI, TOKEN, null)).isEqualTo(Failure.DPOP_PROOF);
  }

  @Test
  void privateKeyInJwk() {
    Map<String, Object> h = header(ed);
    Map<String, Object> jwk = new LinkedHashMap<>(ed.publicJwk());
    jwk.put("d", "c2VjcmV0");
    h.put("jwk", jwk);
    String m = message(ed.sign(h, claims("GET", URI)), "GET", URI, TOKEN, null);
    assertThat(m).contains("private key").doesNotContain("c2VjcmV0");
  }

  @Test
  void wrongTypMissingJwkCritAndBadSignature() {
    Map<String, Object> h = header(ed);
    h.put("typ", "JWT");
    assertThat(message(ed.sign(h, claims("GET", URI)), "GET", URI, TOKEN, null)).contains("typ");
    Map<String, Object> noJwk = header(ed);
    noJwk.remove("jwk");
    assertThat(message(ed.sign(noJwk, claims("GET", URI)), "GET", URI, TOKEN, null)).contains("jwk");
    Map<String, Object> crit = header(ed);
    crit.put("crit", java.util.List.of("exp"));
    assertThat(message(ed.sign(crit, claims("GET", URI)), "GET", URI, TOKEN, null)).contains("crit");
    // Signed by another key than the jwk it carries.
    DpopSigner other = DpopSigner.ed25519(Fixtures.newEd25519(), clock);
    assertThat(message(other.sign(header(ed), claims("GET", URI)), "GET", URI, TOKEN, null)).contains("signature");
    Map<String, Object> edAsEc = header(ed);
    edAsEc.put("alg", "ES256");
    assertThat(message(ed.sign(edAsEc, claims("GET", URI)), "GET", URI, TOKEN, null)).contains("EC P-256");
    assertThat(message(null, "GET", URI, TOKEN, null)).contains("DPoP header");
    assertThat(message("a.b", "GET", URI, TOKEN, null)).contains("three");
    assertThat(message(ed.proof("GET", URI, TOKEN, null) + ".x", "GET", URI, TOKEN, null)).contains("three");
  }

  @Test
  void aProofByAnotherKeyThanTheTokensIsRefused() {
    DpopSigner other = DpopSigner.ed25519(Fixtures.newEd25519(), clock);
    assertThat(message(other.proof("GET", URI, TOKEN, null), "GET", URI, TOKEN, ed.thumbprint())).contains("bound to");
  }

  @Test
  void missingClaims() {
    for (String claim : new String[] {"jti", "htm", "htu", "iat"}) {
      Map<String, Object> c = claims("GET", URI);
      c.remove(claim);
      assertThat(failure(ed.sign(header(ed), c), "GET", URI, TOKEN, null)).as(claim).isEqualTo(Failure.DPOP_PROOF);
    }
  }

  @Test
  void serverNonces() throws Exception {
    DpopNonces nonces = new DpopNonces(new byte[32], clock, Duration.ofMinutes(5));
    DpopVerifier strict = new DpopVerifier(clock, VerifierPolicy.defaults(), Ed25519Provider.java(), nonces);
    assertThatThrownBy(() -> strict.check(ed.proof("GET", URI, TOKEN, null), "GET", URI, TOKEN, null))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.DPOP_NONCE));
    assertThatThrownBy(() -> strict.check(ed.proof("GET", URI, TOKEN, "made-up"), "GET", URI, TOKEN, null))
        .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.DPOP_NONCE));
    String nonce = nonces.current();
    strict.check(ed.proof("GET", URI, TOKEN, nonce), "GET", URI, TOKEN, null);
    clock.advance(Duration.ofMinutes(5));
    strict.check(ed.proof("GET", URI, TOKEN, nonce), "GET", URI, TOKEN, null);
    clock.advance(Duration.ofMinutes(5));
    assertThat(nonces.valid(nonce)).isFalse();
    assertThat(new DpopNonces(new byte[32], clock, Duration.ofMinutes(5)).valid(nonces.current())).isTrue();
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(new DpopNonces(otherKey, clock, Duration.ofMinutes(5)).valid(nonces.current())).isFalse();
  }

  static String b64(BigInteger v) {
    byte[] b = v.toByteArray();
    return Base64Url.encode(b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b);
  }
}
