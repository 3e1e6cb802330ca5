package dev.signet.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The strict JSON reader under every header, claim set and body: one object or an
 * {@link IllegalArgumentException}; what it accepts it writes back to the same tree.
 */
class StrictJsonFuzzTest {
  @FuzzTest
  void parseObject(byte[] input) {
    ObjectNode object;
    try {
      object = StrictJson.parseObject(input);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    assertThat(StrictJson.parseObject(StrictJson.write(fields))).isEqualTo(object);
  }
}
