package dev.signet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.Claims;
import dev.signet.jwt.CompactJws;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.ParsedJws;
import dev.signet.keys.GrapheneSignature;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.scheme.graphene.GraphenePayload;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples printed in the seed documents, asserted exactly. */
class SeedVectorsTest {
  /** The example token of seeds 000, 001 and 003 (the same RS512 token in all three). */
  static final String SEED_TOKEN = "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1MzMwOTY0ODUsImlhdCI6MTUyNTMyMDQ4NSwianRpIjoiMjU5NGFkNTctOWRhZC00MjRmLTg1OTUtYjE0NzI3ZTI0ZTYxIiwic2lkIjoiYzA5Y2YzMTMtN2RlZC00MjVkLWFkM2YtYTFjZTRjZmQ1ZTVlIiwic2lnIjoiODVkZDIzOGE5ODM0NzE3ZGMxM2QzODQ0ZjYzYTFmZWUxM2Q4MmQyZTZjMmVlNDRlYWM3Yzc5MGY1ZGIyNWY4OCIsInVpZCI6Ijg5ZTBiZGVlLWMzNTUtNDdmMi05NDVhLWJlNDhiZTg3NTYwNiJ9.PYg6Cx5grs0flJe862R3VLEWKyTZPcXOGYF9RouztgR_mi3kleIzJt4vCwUZI9F7QrHBFMtTc3_wG_ymnnjsmnm0pBdoON4I-RxeaztIlyc1Ey9lLFe6_ARRUBXo_15ZORilS1hRdMREd84eQOLlO0ChieBPY0tSSiVqTaFZt3Q";

  static final String SEED_004_PAYLOAD = "aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d00755756a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9";

  @Test
  void seedBotTokenDecodesToTheDocumentedClaims() throws Exception {
    ParsedJws jws = CompactJws.parse(SEED_TOKEN, 8192);
    assertThat(jws.header().algorithm()).isEqualTo(JwsAlgorithm.RS512);
    assertThat(jws.header().type()).isEqualTo("JWT");
    Claims c = jws.unverifiedClaims();
    assertThat(c.toMap()).containsOnlyKeys("exp", "iat", "jti", "sid", "sig", "uid");
    assertThat(c.string("uid")).isEqualTo("89e0bdee-c355-47f2-945a-be48be875606");
    assertThat(c.string("sid")).isEqualTo("c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e");
    assertThat(c.string("jti")).isEqualTo("2594ad57-9dad-424f-8595-b14727e24e61");
    assertThat(c.string("sig")).isEqualTo("85dd238a9834717dc13d3844f63a1fee13d82d2e6c2ee44eac7c790f5db25f88");
    assertThat(c.numericDate("iat")).isEqualTo(1525320485L);
    assertThat(c.numericDate("exp")).isEqualTo(1533096485L);
    // 90 days, as the seeds' signers set it.
    assertThat(c.numericDate("exp") - c.numericDate("iat")).isEqualTo(Duration.ofDays(90).getSeconds());
  }

  @Test
  void seed004PayloadRecoversTheDocumentedPostingKey() {
    GraphenePayload p = GraphenePayload.parse(SEED_004_PAYLOAD);
    assertThat(p.message()).isEqualTo("aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d");
    assertThat(p.user()).isEqualTo("aliveprotocol");
    assertThat(p.link()).isEqualTo("link1");
    assertThat(p.authIdentifier()).isEqualTo("alivedb_login");
    assertThat(p.network()).isEqualTo("hive");
    assertThat(p.blockNum()).isEqualTo(76092780L);
    assertThat(p.blockIdMatchesNumber()).isTrue();
    assertThat(GrapheneSignature.recover(p.messageHash(), p.signature()).toGraphene("TST"))
        .isEqualTo("TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R");
    assertThat(p.encode()).isEqualTo(SEED_004_PAYLOAD);
  }

  @Test
  void serviceTokenHasExactlyTheSeed002Claims() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RsaPrivateKey key = RsaPrivateKey.generate(2048, new SecureRandom());
    ServiceTokenSigner signer = new ServiceTokenSigner("org-123", "key-7", "api.happypathology.com", key, clock, Duration.ofHours(1));
    String token = signer.sign("user-42");
    ParsedJws jws = CompactJws.parse(token, 8192);
    assertThat(jws.header().algorithm()).isEqualTo(JwsAlgorithm.RS256);
    Map<String, Object> claims = jws.unverifiedClaims().toMap();
    assertThat(claims).containsOnlyKeys("aud", "exp", "iat", "iss", "jti", "sub", "kid");
    assertThat(claims).containsEntry("aud", "api.happypathology.com")
        .containsEntry("iss", "org-123")
        .containsEntry("sub", "user-42")
        .containsEntry("kid", "key-7")
        .containsEntry("iat", 1767225600)
        .containsEntry("exp", 1767225600 + 3600);
    // jti is a nanosecond timestamp, as the seed's Go and Python examples make it.
    assertThat((String) claims.get("jti")).matches("[0-9]{19}");
  }
}
