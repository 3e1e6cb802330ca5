package dev.signet.scheme.graphene;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.keys.GrapheneSignature;
import dev.signet.keys.KeyException;
import java.nio.charset.StandardCharsets;

/**
 * The Graphene login payload as a client sends it: a payload or an
 * {@link IllegalArgumentException} naming the part, and an accepted payload writes back unchanged.
 */
class GraphenePayloadFuzzTest {
  @FuzzTest
  void payload(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    GraphenePayload payload;
    try {
      payload = GraphenePayload.parse(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(payload.encode()).isEqualTo(text);
    assertThat(GraphenePayload.parse(payload.encode())).usingRecursiveComparison().isEqualTo(payload);
    payload.blockIdMatchesNumber();
    try {
      GrapheneSignature.recover(payload.messageHash(), payload.signature());
    } catch (KeyException refused) {
      assertThat(refused.reason()).isNotNull();
    }
  }
}
