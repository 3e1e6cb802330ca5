package dev.signet.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.Jwk;
import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.RsaPublicKey;
import dev.signet.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwkSetTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Ed25519Provider ED = Ed25519Provider.java();

  static Map<String, Object> rsa(String kid) {
    Map<String, Object> k = new HashMap<>(Jwk.signingKey(Fixtures.RSA.publicKey()));
    k.put("kid", kid);
    return k;
  }

  static Map<String, Object> ed(String kid) {
    Map<String, Object> k = new HashMap<>(Jwk.signingKey(Fixtures.newEd25519().publicKey()));
    k.put("kid", kid);
    return k;
  }

  static Map<String, Object> with(Map<String, Object> k, String name, Object value) {
    Map<String, Object> out = new HashMap<>(k);
    if (value == null) {
      out.remove(name);
    } else {
      out.put(name, value);
    }
    return out;
  }

  static JwkSet parse(Object... keys) throws Exception {
    return JwkSet.parse(JSON.writeValueAsBytes(Map.of("keys", List.of(keys))), ED);
  }

  @Test
  void takesRsaAndEd25519SigningKeysWithTheirPinnedAlgorithm() throws Exception {
    JwkSet set = parse(rsa("r1"), ed("e1"), with(ed("e2"), "alg", "Ed25519"), with(with(rsa("r2"), "use", null), "alg", null));
    assertThat(set.keys()).containsOnlyKeys("r1", "e1", "e2", "r2");
    assertThat(set.keys().get("r1").algorithm()).isEqualTo(JwsAlgorithm.RS256);
    assertThat(set.keys().get("r2").algorithm()).isEqualTo(JwsAlgorithm.RS256);
    assertThat(set.keys().get("e1").algorithm()).isEqualTo(JwsAlgorithm.EdDSA);
    assertThat(set.keys().get("r1").publicKey()).isEqualTo(Fixtures.RSA.publicKey());
    assertThat(set.skipped()).isEmpty();
  }

  @Test
  void skipsWhatItMustNotUseAndSaysWhy() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    RsaPublicKey small = RsaPublicKey.of((java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic(), 1024);
    Map<String, Object> weak = new HashMap<>(Jwk.signingKey(small));
    weak.put("kid", "weak");
    JwkSet set = parse(rsa("ok"),
        with(rsa("enc"), "use", "enc"),
        with(rsa("ps"), "alg", "PS256"),
        with(rsa("hs"), "alg", "HS256"),
        with(ed("ed-as-rs"), "alg", "RS256"),
        with(rsa("private"), "d", "AQAB"),
        with(rsa("ops"), "key_ops", List.of("encrypt")),
        Map.of("kty", "EC", "crv", "P-256", "x", "AA", "y", "AA", "kid", "ec"),
        Map.of("kty", "oct", "k", "c2VjcmV0", "kid", "hmac"),
        with(rsa("nokid"), "kid", null),
        weak,
        with(ed("badx"), "x", "not base64url!"));
    assertThat(set.keys()).containsOnlyKeys("ok");
    assertThat(set.skipped()).hasSize(11);
    assertThat(String.join("\n", set.skipped()))
        .contains("use is \"enc\"", "alg \"PS256\"", "alg \"HS256\"", "alg \"RS256\"", "private key material (d)",
            "key_ops", "kty \"EC\"", "private key material (k)", "no kid", "weak", "badx")
        .doesNotContain("c2VjcmV0");
  }

  @Test
  void refusesWholeDocumentsThatAreNotAKeySet() {
    assertThatThrownBy(() -> JwkSet.parse("{\"keys\":{}}".getBytes(), ED)).hasMessageContaining("no keys array");
    assertThatThrownBy(() -> JwkSet.parse("[]".getBytes(), ED)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwkSet.parse("{\"keys\":[]} x".getBytes(), ED)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwkSet.parse("{\"keys\":[],\"keys\":[]}".getBytes(), ED)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse(rsa("same"), ed("same"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("not an object")).hasMessageContaining("not an object");
    assertThatThrownBy(() -> JwkSet.parse(new byte[JwkSet.MAX_BYTES + 1], ED)).hasMessageContaining("larger");
  }
}
