package dev.signet.spring;

import static dev.signet.spring.TestKeys.send;
import static dev.signet.spring.TestKeys.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.spring.app.ChainApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code http.with(SignetConfigurer.signet(), ...)} in an application's own chain, over real HTTP. */
@SpringBootTest(classes = ChainApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignetConfigurerTest {
  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) {
    TestKeys.register(r);
  }

  @Test
  void aVerifiedRequestIsAnAuthenticationWithItsPrincipal() throws Exception {
    HttpResponse<String> r = send(port, "GET", "/whoami?x=1", null, token("GET", "/whoami?x=1", null, "ASSETS:READ PROFILE:READ"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"data\":{\"user_id\":\"" + TestKeys.UID + "\",\"session_id\":\"" + TestKeys.SID
        + "\",\"scopes\":[\"ASSETS:READ\",\"PROFILE:READ\"]}}");
  }

  @Test
  void theControllerReadsTheVerifiedBodyAndPostNeedsNoCsrfTokenWithABearerToken() throws Exception {
    String body = "{\"amount\":\"1\",\"note\":\"\u00e9t\u00e9\"}";
    HttpResponse<String> r = send(port, "POST", "/echo", body, token("POST", "/echo", body, "FULL"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(send(port, "POST", "/echo", body, token("POST", "/echo", "{}", "FULL")).body()).contains("request_mismatch");
  }

  @Test
  void aSessionMaySignWithAnHttpMessageSignatureInstead() throws Exception {
    String body = "{\"amount\":\"1\"}";
    java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/echo");
    java.util.Map<String, String> headers = new dev.signet.scheme.httpsig.HttpSignatureSigner(TestKeys.SID, TestKeys.KEY,
        java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(1)), new java.security.SecureRandom())
        .sign("POST", uri, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain");
    headers.forEach(b::header);
    HttpResponse<String> r = TestKeys.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(TestKeys.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body()).contains("replayed");
  }

  @Test
  void refusalsUseTheEnvelope() throws Exception {
    String t = token("GET", "/whoami", null, "FULL");
    assertThat(send(port, "GET", "/whoami", null, t).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = send(port, "GET", "/whoami", null, t);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).startsWith("{\"error\":{\"status\":401,\"code\":401,\"description\":\"replayed");
    assertThat(replay.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");

    HttpResponse<String> none = send(port, "GET", "/whoami", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).startsWith("{\"error\":{\"status\":401,\"code\":401,\"description\":\"malformed");
    assertThat(send(port, "GET", "/whoami?a=2", null, token("GET", "/whoami?a=1", null, "FULL")).body()).contains("request_mismatch");
    assertThat(send(port, "GET", "/whoami", null, "garbage").statusCode()).isEqualTo(401);
  }

  @Test
  void scopesAreAuthoritiesAndMissingOnesAre403() throws Exception {
    assertThat(send(port, "GET", "/assets/list", null, token("GET", "/assets/list", null, "ASSETS:READ")).statusCode()).isEqualTo(200);
    HttpResponse<String> denied = send(port, "GET", "/assets/list", null, token("GET", "/assets/list", null, "PROFILE:READ"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).startsWith("{\"error\":{\"status\":403,\"code\":403,\"description\":\"scope");
    assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\"");
    assertThat(send(port, "GET", "/snapshots", null, token("GET", "/snapshots", null, "SNAPSHOTS:READ")).body()).isEqualTo("snapshots");
    assertThat(send(port, "GET", "/snapshots", null, token("GET", "/snapshots", null, "ASSETS:READ")).statusCode()).isEqualTo(403);
  }

  @Test
  void fullCoversEveryScopeThroughSignetAuthorizationButIsNoOtherAuthority() throws Exception {
    assertThat(send(port, "GET", "/full/x", null, token("GET", "/full/x", null, "FULL")).statusCode()).isEqualTo(200);
    assertThat(send(port, "GET", "/full/x", null, token("GET", "/full/x", null, "ASSETS:READ")).statusCode()).isEqualTo(403);
    assertThat(send(port, "GET", "/assets/list", null, token("GET", "/assets/list", null, "FULL")).statusCode()).isEqualTo(403);
  }

  @Test
  void aVerifiedRequestLeavesNoSessionAndNoSessionStandsInForAToken() throws Exception {
    HttpResponse<String> verified = send(port, "GET", "/whoami", null, token("GET", "/whoami", null, "FULL"));
    assertThat(verified.statusCode()).isEqualTo(200);
    assertThat(verified.headers().allValues("Set-Cookie")).isEmpty();

    String cookie = send(port, "GET", "/public/session", null, null).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> withCookie = TestKeys.HTTP.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/snapshots")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(withCookie.statusCode()).as(withCookie.body()).isEqualTo(401);
  }

  @Test
  void aVerifiedRequestKeepsItsAuthenticationThroughTheErrorDispatch() throws Exception {
    // Not 401 "missing token": the request had a good one, and the application's own answer stands.
    assertThat(send(port, "GET", "/nowhere", null, token("GET", "/nowhere", null, "FULL")).statusCode()).isEqualTo(404);
    assertThat(send(port, "PUT", "/whoami", null, token("PUT", "/whoami", null, "FULL")).statusCode()).isEqualTo(405);
    assertThat(send(port, "GET", "/nowhere", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void permitAllRoutesStayOpen() throws Exception {
    assertThat(send(port, "GET", "/public", null, null).body()).isEqualTo("open");
  }
}
