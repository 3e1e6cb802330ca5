package dev.signet.spring;

import static dev.signet.spring.TestKeys.send;
import static dev.signet.spring.TestKeys.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.spring.app.DefaultChainApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** No chain of the application's own: every request needs a verified token. */
@SpringBootTest(classes = DefaultChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DefaultChainTest {
  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) {
    TestKeys.register(r);
  }

  @Test
  void everyRouteNeedsAVerifiedToken() throws Exception {
    assertThat(send(port, "GET", "/public", null, null).statusCode()).isEqualTo(401);
    java.net.http.HttpResponse<String> open = send(port, "GET", "/public", null, token("GET", "/public", null, "FULL"));
    assertThat(open.body()).isEqualTo("open");
    assertThat(open.headers().allValues("Set-Cookie")).as("no session").isEmpty();
    assertThat(send(port, "POST", "/echo", "x", token("POST", "/echo", "x", "FULL")).body()).isEqualTo("x");
  }
}
