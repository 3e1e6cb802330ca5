package dev.signet.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.keys.Ed25519PublicKey;
import org.junit.jupiter.api.Test;

class JwkTest {
  /** RFC 8037, appendix A.2 and A.3: the example Ed25519 public key and its RFC 7638 thumbprint. */
  @Test
  void thumbprintMatchesRfc8037AppendixA3() {
    Ed25519PublicKey key = Ed25519PublicKey.parse("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    assertThat(Jwk.thumbprint(key)).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    assertThat(Jwk.signingKey(key)).containsEntry("kty", "OKP").containsEntry("crv", "Ed25519")
        .containsEntry("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        .containsEntry("kid", "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k").containsEntry("alg", "EdDSA");
  }
}
