package dev.signet.scheme.httpsig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.codec.Base64Url;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.RequestView;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpSignatureVerifierTest {
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final String RSA_SID = "d19cf313-7ded-425d-ad3f-a1ce4cfd5e5f";
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final URI URL = URI.create("https://api.example.com/transfers?asset=btc");
  static final byte[] BODY = "{\"amount\":\"1\"}".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  final Ed25519PrivateKey key = Fixtures.newEd25519();
  final Fixtures.Registry keys = new Fixtures.Registry()
      .add(new KeyRef(Scheme.HTTP_SIGNATURE, null, SID), new RegisteredKey(JwsKey.eddsa(key.publicKey()), UID, UID, Set.of("FULL")))
      .add(new KeyRef(Scheme.HTTP_SIGNATURE, null, RSA_SID), new RegisteredKey(JwsKey.rs256(Fixtures.RSA.publicKey()), UID, UID, null));
  final HttpSignatureVerifier verifier = new HttpSignatureVerifier(keys, clock, VerifierPolicy.defaults(),
      HttpSignatureVerifier.DEFAULT_REQUIRED);
  final HttpSignatureSigner signer = new HttpSignatureSigner(SID, key, clock, new SecureRandom());

  static RequestView request(String method, URI uri, byte[] body, Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new RequestView(method, target, uri.getScheme() + "://" + uri.getRawAuthority(), body,
        name -> lower.containsKey(name.toLowerCase(Locale.ROOT)) ? List.of(lower.get(name.toLowerCase(Locale.ROOT))) : List.of());
  }

  VerificationException refusal(RequestView r) {
    try {
      verifier.check(r);
    } catch (VerificationException e) {
      return e;
    }
    throw new AssertionError("signature was accepted");
  }

  Failure failure(RequestView r) {
    return refusal(r).failure();
  }

  String message(RequestView r) {
    return refusal(r).getMessage();
  }

  /** RFC 9421 appendix B.2.6 (key B.1.4): the signature base and the signature, byte for byte. */
  @Test
  void rfc9421AppendixB26() throws Exception {
    String input = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    String expectedSignature = "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==";
    RequestView r = request("POST", URI.create("http://example.com/foo?param=Value&Pet=dog"), "{\"hello\": \"world\"}".getBytes(),
        Map.of("Host", "example.com", "Date", "Tue, 20 Apr 2021 02:07:55 GMT", "Content-Type", "application/json",
            "Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
            "Content-Length", "18"));
    StructuredFields.InnerList covered = (StructuredFields.InnerList) StructuredFields.dictionary(input).get("sig-b26");
    byte[] base = SignatureBase.build(covered, r);
    assertThat(new String(base, StandardCharsets.UTF_8)).isEqualTo("\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
        + "\"@method\": POST\n\"@path\": /foo\n\"@authority\": example.com\n\"content-type\": application/json\n"
        + "\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
        + "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"");
    byte[] signature = Base64.getDecoder().decode(expectedSignature);
    for (Ed25519Provider provider : List.of(Ed25519Provider.java(), Ed25519Provider.preferred().provider())) {
      Ed25519PublicKey pub = Ed25519PublicKey.fromBytes(Base64Url.decode("JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs")).using(provider);
      assertThat(pub.verify(signature, base, 0, base.length)).as(provider.id()).isTrue();
    }
    Ed25519PrivateKey rfcKey = Ed25519PrivateKey.fromBytes(Base64Url.decode("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU"));
    assertThat(Base64.getEncoder().encodeToString(rfcKey.sign(base))).isEqualTo(expectedSignature);
    // The body's B.2 Content-Digest (sha-512) checks out against the body.
    assertThat(ContentDigest.mismatch(r.header("Content-Digest"), r.body())).isNull();
  }

  @Test
  void aSignedRequestIsAcceptedOnceAsItsSession() throws Exception {
    RequestView r = request("POST", URL, BODY, signer.sign("POST", URL, BODY));
    CheckedToken t = verifier.check(r);
    Principal p = t.principal();
    assertThat(p.scheme()).isEqualTo(Scheme.HTTP_SIGNATURE);
    assertThat(p.userId()).isEqualTo(UID);
    assertThat(p.sessionId()).isEqualTo(SID);
    assertThat(t.replayId()).startsWith("httpsig:" + SID + ":n:");
    assertThat(verifier.check(r).replayId()).as("the same request, the same id to claim").isEqualTo(t.replayId());
    assertThat(verifier.check(request("GET", URL, null, signer.sign("GET", URL, null))).principal().userId()).isEqualTo(UID);
  }

  @Test
  void withoutANonceCreatedKeyidAndSignatureAreTheSingleUseId() throws Exception {
    Map<String, String> h = new HashMap<>(signer.sign("GET", URL, null));
    h.put("Signature-Input", h.get("Signature-Input").replaceAll(";nonce=\"[^\"]*\"", ""));
    h.put("Signature", resign(h.get("Signature-Input"), request("GET", URL, null, h)));
    CheckedToken t = verifier.check(request("GET", URL, null, h));
    assertThat(t.replayId()).startsWith("httpsig:" + SID + ":" + clock.instant().getEpochSecond() + ":");
  }

  String resign(String signatureInput, RequestView r) throws Exception {
    StructuredFields.InnerList covered = (StructuredFields.InnerList) StructuredFields.dictionary(signatureInput).get("sig1");
    return "sig1=:" + Base64.getEncoder().encodeToString(key.sign(SignatureBase.build(covered, r))) + ":";
  }

  @Test
  void theRequestMustBeTheOneSigned() {
    Map<String, String> h = signer.sign("POST", URL, BODY);
    assertThat(failure(request("PUT", URL, BODY, h))).isEqualTo(Failure.BAD_SIGNATURE);
    assertThat(failure(request("POST", URI.create("https://api.example.com/transfers?asset=eth"), BODY, h))).isEqualTo(Failure.BAD_SIGNATURE);
    assertThat(failure(request("POST", URI.create("https://evil.example.com/transfers?asset=btc"), BODY, h))).isEqualTo(Failure.BAD_SIGNATURE);
    assertThat(message(request("POST", URL, "{\"amount\":\"9\"}".getBytes(), h))).contains("does not match the body");
  }

  @Test
  void requiredComponentsAreAPolicy() throws Exception {
    Map<String, String> h = new HashMap<>(signer.sign("GET", URL, null));
    h.put("Signature-Input", h.get("Signature-Input").replace("\"@method\" ", ""));
    h.put("Signature", resign(h.get("Signature-Input"), request("GET", URL, null, h)));
    assertThat(message(request("GET", URL, null, h))).contains("must cover @method");
    HttpSignatureVerifier lax = new HttpSignatureVerifier(keys, clock, VerifierPolicy.defaults(), List.of("@target-uri"));
    assertThat(lax.check(request("GET", URL, null, h)).principal().sessionId()).isEqualTo(SID);
    // @path with @query stands for @target-uri.
    Map<String, String> p = new HashMap<>(signer.sign("GET", URL, null));
    p.put("Signature-Input", p.get("Signature-Input").replace("\"@target-uri\"", "\"@path\" \"@query\""));
    p.put("Signature", resign(p.get("Signature-Input"), request("GET", URL, null, p)));
    assertThat(verifier.check(request("GET", URL, null, p)).principal().sessionId()).isEqualTo(SID);
    p.put("Signature-Input", p.get("Signature-Input").replace(" \"@query\"", ""));
    p.put("Signature", resign(p.get("Signature-Input"), request("GET", URL, null, p)));
    assertThat(message(request("GET", URL, null, p))).contains("must cover @target-uri (or @path and @query)");
  }

  @Test
  void aBodyNeedsACoveredMatchingContentDigest() throws Exception {
    Map<String, String> h = new HashMap<>(signer.sign("POST", URL, BODY));
    h.remove("Content-Digest");
    assertThat(message(request("POST", URL, BODY, h))).contains("needs a Content-Digest");
    Map<String, String> uncovered = new HashMap<>(signer.sign("POST", URL, BODY));
    uncovered.put("Signature-Input", uncovered.get("Signature-Input").replace(" \"content-digest\"", ""));
    uncovered.put("Signature", resign(uncovered.get("Signature-Input"), request("POST", URL, BODY, uncovered)));
    assertThat(message(request("POST", URL, BODY, uncovered))).contains("content-digest covered");
    Map<String, String> md5 = new HashMap<>(signer.sign("POST", URL, BODY));
    md5.put("Content-Digest", "md5=:AAAAAAAAAAAAAAAAAAAAAA==:");
    assertThat(message(request("POST", URL, BODY, md5))).contains("no sha-256 or sha-512");
  }

  @Test
  void createdWithinTheWindowAndExpiresInTheFuture() throws Exception {
    Map<String, String> h = signer.sign("GET", URL, null);
    clock.advance(Duration.ofSeconds(301));
    assertThat(failure(request("GET", URL, null, h))).isEqualTo(Failure.STALE);
    clock.advance(Duration.ofSeconds(-301 - 31));
    assertThat(failure(request("GET", URL, null, h))).isEqualTo(Failure.ISSUED_IN_FUTURE);
    clock.advance(Duration.ofSeconds(31));
    Map<String, String> e = new HashMap<>(h);
    e.put("Signature-Input", e.get("Signature-Input") + ";expires=" + clock.instant().getEpochSecond());
    e.put("Signature", resign(e.get("Signature-Input"), request("GET", URL, null, e)));
    assertThat(failure(request("GET", URL, null, e))).isEqualTo(Failure.EXPIRED);
  }

  @Test
  void keysAndAlgorithms() throws Exception {
    Map<String, String> h = new HashMap<>(signer.sign("GET", URL, null));
    h.put("Signature-Input", h.get("Signature-Input").replace("alg=\"ed25519\"", "alg=\"rsa-v1_5-sha256\""));
    h.put("Signature", resign(h.get("Signature-Input"), request("GET", URL, null, h)));
    assertThat(failure(request("GET", URL, null, h))).isEqualTo(Failure.ALGORITHM);
    HttpSignatureSigner stranger = new HttpSignatureSigner("0c9cf313-7ded-425d-ad3f-a1ce4cfd5e5e", key, clock, new SecureRandom());
    assertThat(failure(request("GET", URL, null, stranger.sign("GET", URL, null)))).isEqualTo(Failure.UNKNOWN_KEY);
    HttpSignatureSigner notUuid = new HttpSignatureSigner("test-key-ed25519", key, clock, new SecureRandom());
    assertThat(failure(request("GET", URL, null, notUuid.sign("GET", URL, null)))).isEqualTo(Failure.MALFORMED);
    HttpSignatureSigner otherKey = new HttpSignatureSigner(SID, Fixtures.newEd25519(), clock, new SecureRandom());
    assertThat(failure(request("GET", URL, null, otherKey.sign("GET", URL, null)))).isEqualTo(Failure.BAD_SIGNATURE);
  }

  @Test
  void rsaSessionsSignRsaV15Sha256OrRsaPssSha512() throws Exception {
    HttpSignatureSigner rsa = new HttpSignatureSigner(RSA_SID, Fixtures.RSA, clock, new SecureRandom());
    assertThat(verifier.check(request("GET", URL, null, rsa.sign("GET", URL, null))).principal().sessionId()).isEqualTo(RSA_SID);
    Map<String, String> pss = new HashMap<>(rsa.sign("GET", URL, null));
    pss.put("Signature-Input", pss.get("Signature-Input").replace("rsa-v1_5-sha256", "rsa-pss-sha512"));
    StructuredFields.InnerList covered = (StructuredFields.InnerList) StructuredFields.dictionary(pss.get("Signature-Input")).get("sig1");
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
    s.initSign(privateKey(Fixtures.RSA));
    s.update(SignatureBase.build(covered, request("GET", URL, null, pss)));
    pss.put("Signature", "sig1=:" + Base64.getEncoder().encodeToString(s.sign()) + ":");
    assertThat(verifier.check(request("GET", URL, null, pss)).principal().sessionId()).isEqualTo(RSA_SID);
    Map<String, String> noAlg = new HashMap<>(rsa.sign("GET", URL, null));
    noAlg.put("Signature-Input", noAlg.get("Signature-Input").replace(";alg=\"rsa-v1_5-sha256\"", ""));
    assertThat(failure(request("GET", URL, null, noAlg))).isEqualTo(Failure.ALGORITHM);
  }

  static java.security.PrivateKey privateKey(RsaPrivateKey k) throws Exception {
    String pem = k.toPkcs8Pem().replaceAll("-----[A-Z ]+-----|\\s", "");
    return java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }

  @Test
  void anOriginThatIsNoUriIsARefusalForEveryComponentBuiltFromIt() {
    StructuredFields.InnerList covered = (StructuredFields.InnerList) StructuredFields.dictionary(
        "sig1=(\"@scheme\" \"@authority\");created=1;keyid=\"" + SID + "\"").get("sig1");
    RequestView r = new RequestView("GET", "/me", "http://a b", null, name -> List.of());
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> SignatureBase.build(covered, r), VerificationException.class)
        .failure()).isEqualTo(Failure.REQUEST_MISMATCH);
    RequestView upper = new RequestView("GET", "/me", "HTTPS://API.Example.com:443", null, name -> List.of());
    assertThat(new String(assertBuilds(covered, upper), StandardCharsets.UTF_8)).startsWith("\"@scheme\": https\n\"@authority\": api.example.com\n");
  }

  static byte[] assertBuilds(StructuredFields.InnerList covered, RequestView r) {
    try {
      return SignatureBase.build(covered, r);
    } catch (VerificationException e) {
      throw new AssertionError(e.getMessage());
    }
  }

  @Test
  void malformedInputIsNamed() {
    Map<String, String> h = signer.sign("GET", URL, null);
    Map<String, String> two = new HashMap<>(h);
    two.put("Signature-Input", h.get("Signature-Input") + ", sig2=(\"@method\");created=1;keyid=\"" + SID + "\"");
    assertThat(message(request("GET", URL, null, two))).contains("exactly one signature");
    Map<String, String> noSig = new HashMap<>(h);
    noSig.remove("Signature");
    assertThat(message(request("GET", URL, null, noSig))).contains("both Signature-Input and Signature");
    Map<String, String> param = new HashMap<>(h);
    param.put("Signature-Input", h.get("Signature-Input").replace("\"@method\"", "\"@method\";req"));
    assertThat(message(request("GET", URL, null, param))).contains("not supported");
    for (String bad : new String[] {"sig1=(\"@method\"", "sig1=(\"@method\");created=1.5", "sig1=(\"@method\"), sig1=(\"@path\")", "SIG=()", "sig1=(@method)"}) {
      Map<String, String> b = new HashMap<>(h);
      b.put("Signature-Input", bad);
      assertThat(failure(request("GET", URL, null, b))).as(bad).isEqualTo(Failure.MALFORMED);
    }
  }
}
