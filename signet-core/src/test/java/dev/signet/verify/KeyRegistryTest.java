package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.jwt.JwsKey;
import dev.signet.testing.Fixtures;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";

  @Test
  void aBotSessionIsFoundByItsTokensNameAndByItsSignaturesKeyid() throws Exception {
    JwsKey key = JwsKey.eddsa(Fixtures.newEd25519().publicKey());
    KeyRegistry r = KeyRegistry.builder().bot(UID, SID, key, null).service("org", "k1", JwsKey.rs256(Fixtures.RSA.publicKey())).build();
    assertThat(r.resolve(new KeyRef(Scheme.MIXIN_BOT, UID, SID))).get().extracting(RegisteredKey::key).isEqualTo(key);
    assertThat(r.resolve(new KeyRef(Scheme.HTTP_SIGNATURE, null, SID))).get().extracting(RegisteredKey::userId).isEqualTo(UID);
    assertThat(r.size()).isEqualTo(2);
    String other = "99e0bdee-c355-47f2-945a-be48be875606";
    assertThatThrownBy(() -> KeyRegistry.builder().bot(UID, SID, key, null).bot(other, SID, key, null))
        .hasMessageContaining("listed twice");
  }
}
