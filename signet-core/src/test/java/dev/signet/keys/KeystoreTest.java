package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testing.Fixtures;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeystoreTest {
  static final String APP = "3ee5f9f4-3f2b-4d47-9e5e-8d9a1f1b6c01";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  final Ed25519PrivateKey session = Fixtures.newEd25519();
  final Ed25519PrivateKey server = Fixtures.newEd25519();

  @Test
  void readsTheNewerFormatWithServerPublicKey() {
    String json = "{\"app_id\":\"" + APP + "\",\"session_id\":\"" + SID + "\",\"server_public_key\":\""
        + server.publicKey().toHex() + "\",\"session_private_key\":\"" + session.toSeedHex() + "\"}";
    Keystore k = Keystore.parse(json);
    assertThat(k.userId()).isEqualTo(APP);
    assertThat(k.sessionId()).isEqualTo(SID);
    assertThat(((Ed25519PrivateKey) k.key()).publicKey()).isEqualTo(session.publicKey());
    assertThat(k.pinToken()).isEqualTo(server.publicKey().toX25519());
    assertThat(k.isOAuth()).isFalse();
    assertThat(k.toString()).doesNotContain(session.toSeedHex());
    Keystore again = Keystore.parse(k.toJson());
    assertThat(again.pinToken()).isEqualTo(k.pinToken());
    assertThat(((Ed25519PrivateKey) again.key()).publicKey()).isEqualTo(session.publicKey());
  }

  @Test
  void readsTheNewerOAuthFormat() {
    X25519PublicKey pinToken = X25519PrivateKey.generate(Fixtures.RANDOM).publicKey();
    String json = "{\"app_id\":\"" + APP + "\",\"scope\":\"PROFILE:READ\",\"authorization_id\":\"" + SID
        + "\",\"session_private_key\":\"" + session.toSeedHex() + "\",\"pin_token_base64\":\"" + pinToken.toBase64Url() + "\"}";
    Keystore k = Keystore.parse(json);
    assertThat(k.isOAuth()).isTrue();
    assertThat(k.authorizationId()).isEqualTo(SID);
    assertThat(k.scope()).isEqualTo("PROFILE:READ");
    assertThat(k.pinToken()).isEqualTo(pinToken);
  }

  @Test
  void readsTheOlderEd25519AndRsaFormats() {
    X25519PublicKey pinToken = X25519PrivateKey.generate(Fixtures.RANDOM).publicKey();
    String ed = "{\"client_id\":\"" + APP + "\",\"session_id\":\"" + SID + "\",\"private_key\":\"" + session.toBase64Url()
        + "\",\"pin_token\":\"" + Base64.getEncoder().encodeToString(pinToken.toBytes()) + "\",\"pin\":\"123456\"}";
    Keystore k = Keystore.parse(ed);
    assertThat(k.pin()).isEqualTo("123456");
    assertThat(k.pinToken()).isEqualTo(pinToken);
    assertThat(k.toString()).doesNotContain("123456");
    String rsa = "{\"uid\":\"" + APP + "\",\"session_id\":\"" + SID + "\",\"private_key\":"
        + com.fasterxml.jackson.databind.node.TextNode.valueOf(Fixtures.RSA.toPkcs1Pem()) + ",\"pin_token\":\"" + Base64.getEncoder().encodeToString(new byte[128]) + "\"}";
    Keystore r = Keystore.parse(rsa);
    assertThat(r.key()).isInstanceOf(RsaPrivateKey.class);
    assertThat(r.pinToken()).isNull();
  }

  @Test
  void refusesAmbiguousOrBrokenFiles() {
    String base = "\"session_id\":\"" + SID + "\",\"session_private_key\":\"" + session.toSeedHex() + "\"";
    assertThatThrownBy(() -> Keystore.parse("{\"app_id\":\"" + APP + "\",\"app_id\":\"x\"," + base + "}"))
        .isInstanceOf(KeyException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> Keystore.parse("{\"app_id\":\"" + APP + "\",\"client_id\":\"other\"," + base + "}"))
        .isInstanceOf(KeyException.class).hasMessageContaining("conflicting");
    assertThatThrownBy(() -> Keystore.parse("{" + base + "}")).isInstanceOf(KeyException.class);
    assertThatThrownBy(() -> Keystore.parse("{\"app_id\":\"" + APP + "\"," + base + ",\"private_key\":\"x\"}"))
        .isInstanceOf(KeyException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> Keystore.parse("{\"app_id\":\"" + APP + "\"," + base.replace(session.toSeedHex(), "zz") + "}"))
        .isInstanceOf(KeyException.class).hasMessageNotContaining(session.toSeedHex());
    assertThatThrownBy(() -> Keystore.parse("{\"app_id\":\"" + APP + "\"," + base + "} trailing"))
        .isInstanceOf(KeyException.class).hasMessageNotContaining(session.toSeedHex());
  }
}
