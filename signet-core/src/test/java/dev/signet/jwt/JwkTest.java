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

  /** RFC 7638 section 3.1: the example RSA key's required members and its thumbprint. */
  @Test
  void thumbprintOfRequiredMembersMatchesRfc7638Section31() {
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    assertThat(Jwk.thumbprint(java.util.Map.of("kty", "RSA", "n", n, "e", "AQAB"))).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }
}
