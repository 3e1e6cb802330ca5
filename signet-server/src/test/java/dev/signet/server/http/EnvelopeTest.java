package dev.signet.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The error envelope written directly is the map Jackson would write: byte for byte, but for
 * characters outside the BMP, which it writes as UTF-8 where Jackson writes surrogate escapes (the
 * same string, both valid JSON).
 */
class EnvelopeTest {
  @Test
  void theErrorBodyIsWhatJacksonWrites() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (String d : new String[] {"throttled: too many refused requests from this address; retry in 7 s", "",
        "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007", "caf\u00e9 \u2028 </script>", "emoji \uD83D\uDE00"}) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("status", 429);
      e.put("code", 429);
      e.put("description", d);
      byte[] jackson = json.writeValueAsBytes(Map.of("error", e));
      byte[] direct = Envelope.errorBody(429, d).getBytes();
      assertThat(json.readTree(direct)).as(d).isEqualTo(json.readTree(jackson));
      if (d.codePoints().allMatch(Character::isBmpCodePoint)) {
        assertThat(direct).as(d).isEqualTo(jackson);
      }
    }
  }
}
