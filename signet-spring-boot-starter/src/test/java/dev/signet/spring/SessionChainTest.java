package dev.signet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.spring.app.SessionChainApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An explicit {@code sessionManagement} of the application wins over Signet's stateless default, and is warned about. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SessionChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SessionChainTest {
  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) {
    TestKeys.register(r);
  }

  @Test
  void aChainThatAsksForSessionsIsWarnedAbout(CapturedOutput output) throws Exception {
    assertThat(TestKeys.send(port, "GET", "/whoami", null, TestKeys.token("GET", "/whoami", null, "FULL")).statusCode())
        .isEqualTo(200);
    assertThat(output.getAll()).contains("keeps security contexts in HTTP sessions");
  }
}
