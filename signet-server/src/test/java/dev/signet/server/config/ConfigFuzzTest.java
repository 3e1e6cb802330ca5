package dev.signet.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The server's YAML configuration as an operator writes it: a configuration or a
 * {@link ConfigException} naming the setting, never another exception (the server would start with a
 * stack trace instead of a sentence).
 */
class ConfigFuzzTest {
  @FuzzTest
  void yaml(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    try {
      ServerConfig config = ConfigLoader.parse(yaml, "signet.yaml", Map.of());
      assertThat(config.port()).isBetween(0, 65535);
    } catch (ConfigException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
