package dev.signet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.jwt.JwsKey;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import dev.signet.testing.Fixtures;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter in a real Tomcat 10.1 (Servlet 6), called over real HTTP. */
class SignetFilterTest {
  static final String UID = "89e0bdee-c355-47f2-945a-be48be875606";
  static final String SID = "c09cf313-7ded-425d-ad3f-a1ce4cfd5e5e";
  static final String APP = "3e5c3b1e-6a4c-4b9e-8f57-2a0c9d1e7b21";
  static final String AID = "7d8a9b0c-1e2f-4a3b-9c4d-5e6f7a8b9c0d";
  static final String RSA_SID = "5f4c2d9e-1b7a-4e52-9c3d-2a6b8e0f1d47";
  static final String DOWN_SID = "00000000-0000-4000-8000-000000000503";
  static final int LIMIT = 4096;

  static final Clock CLOCK = Clock.systemUTC();
  /**
   * Clients a second ahead of the server (within the skew): with a replay store in memory the filter
   * refuses tokens issued in the second it was built, and these tests sign right after that.
   */
  static final Clock SIGNING = Clock.offset(CLOCK, Duration.ofSeconds(1));
  static final Ed25519PrivateKey BOT = Fixtures.newEd25519();
  static final Ed25519PrivateKey OAUTH = Fixtures.newEd25519();
  static final MixinBotSigner SIGNER = new MixinBotSigner(UID, SID, JwsSigner.eddsa(BOT), SIGNING);
  static final AtomicInteger SERVLET_CALLS = new AtomicInteger();
  static final java.util.Queue<String> OUTCOMES = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Tomcat tomcat;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Fixtures.Registry keys = new Fixtures.Registry()
        .add(new KeyRef(Scheme.MIXIN_BOT, UID, SID), new RegisteredKey(JwsKey.eddsa(BOT.publicKey()), UID, UID, null))
        .add(new KeyRef(Scheme.HTTP_SIGNATURE, null, SID), new RegisteredKey(JwsKey.eddsa(BOT.publicKey()), UID, UID, null))
        .add(new KeyRef(Scheme.MIXIN_BOT, UID, RSA_SID), new RegisteredKey(JwsKey.rs512(Fixtures.RSA.publicKey()), UID, UID, null))
        .add(new KeyRef(Scheme.MIXIN_OAUTH, APP, AID), new RegisteredKey(JwsKey.eddsa(OAUTH.publicKey()), APP, UID, Set.of("PROFILE:READ")))
        .add(new KeyRef(Scheme.SERVICE, "billing", "k1"), new RegisteredKey(JwsKey.rs256(Fixtures.RSA.publicKey()), "billing", null, null));
    SignetFilter filter = SignetFilter.builder(ref -> {
      if (ref.keyId().equals(DOWN_SID)) {
        throw new VerificationException(Failure.UNAVAILABLE, "key store unavailable");
      }
      return keys.resolve(ref);
    }).replay(new InMemoryReplayStore(CLOCK, 10_000)).clock(CLOCK)
        .policy(VerifierPolicy.defaults().withAudience("api")).maxBodyBytes(LIMIT)
        .outcomes((scheme, outcome, nanos) -> OUTCOMES.add(scheme + " " + outcome + (nanos > 0 ? "" : " (no time)"))).build();
    SignetFilter scoped = SignetFilter.builder(keys).clock(CLOCK)
        .policy(VerifierPolicy.defaults().withRequiredScopes(Set.of("ASSETS:READ"))).build();

    SignetFilter limited = SignetFilter.builder(keys).clock(CLOCK).rateLimits(List.of(
        new dev.signet.limits.RateLimitRule(new dev.signet.limits.RateLimitPolicy("per-session", dev.signet.limits.RateLimitPolicy.Key.SESSION,
            2, 60, 2), List.of())))
        .outcomes(new ServletVerifier.Outcomes() {
          @Override
          public void record(String scheme, String outcome, long nanos) {}

          @Override
          public void rateLimited(String policy) {
            OUTCOMES.add("rate_limited " + policy);
          }
        }).build();

    tomcat = new Tomcat();
    Path base = Files.createTempDirectory("signet-tomcat");
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector();
    Context ctx = tomcat.addContext("", base.toString());
    Tomcat.addServlet(ctx, "echo", new Echo());
    ctx.addServletMappingDecoded("/*", "echo");
    addFilter(ctx, "signet", filter, "/api/*");
    addFilter(ctx, "scoped", scoped, "/assets/*");
    addFilter(ctx, "limited", limited, "/limited/*");
    tomcat.start();
    SignetFilterTest.base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
  }

  static void addFilter(Context ctx, String name, SignetFilter filter, String pattern) {
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(filter);
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern(pattern);
    ctx.addFilterMap(map);
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  /** Answers with what the application sees: user, principal attribute, body (read twice), a form field. */
  static final class Echo extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      SERVLET_CALLS.incrementAndGet();
      String user = req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName();
      String attr = SignetFilter.principal(req).map(Principal::scheme).map(Scheme::wireName).orElse("-");
      String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String again = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      resp.setContentType("text/plain");
      resp.getWriter().print(user + "|" + attr + "|" + body + "|" + again.equals(body) + "|" + req.getParameter("q")
          + "|" + req.isUserInRole("ANYTHING"));
    }
  }

  static HttpResponse<String> send(String method, String target, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null && body.startsWith("q=")) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return HTTP.send(b.build(), BodyHandlers.ofString());
  }

  static String bot(String method, String target, String body) {
    return SIGNER.sign(method, target, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aGoodTokenReachesTheServletWithItsPrincipalAndABodyItCanReadAgain() throws Exception {
    String body = "{\"amount\":\"1.5\",\"memo\":\"caf\u00e9\"}";
    HttpResponse<String> r = send("POST", "/api/transfers?x=1&y=%20z", body, bot("POST", "/api/transfers?x=1&y=%20z", body));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(UID + "|mixin-bot|" + body + "|true|null|true");
  }

  @Test
  void httpMessageSignaturesBySessionsAreAcceptedOnce() throws Exception {
    String body = "{\"amount\":\"1\"}";
    URI uri = URI.create(base + "/api/transfers?asset=btc");
    Map<String, String> headers = new dev.signet.scheme.httpsig.HttpSignatureSigner(SID, BOT, SIGNING, new java.security.SecureRandom())
        .sign("POST", uri, body.getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(UID + "|http-signature|" + body + "|true|null|true");
    HttpResponse<String> again = HTTP.send(b.build(), BodyHandlers.ofString());
    assertRefused(again, 401, "replayed");
    HttpRequest.Builder tampered = HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString("{\"amount\":\"9\"}"));
    new dev.signet.scheme.httpsig.HttpSignatureSigner(SID, BOT, SIGNING, new java.security.SecureRandom())
        .sign("POST", uri, body.getBytes(StandardCharsets.UTF_8)).forEach(tampered::header);
    assertRefused(HTTP.send(tampered.build(), BodyHandlers.ofString()), 401, "request_mismatch");
  }

  @Test
  void formBodiesStillGiveTheirParameters() throws Exception {
    String body = "q=caf%C3%A9+au+lait";
    HttpResponse<String> r = send("POST", "/api/form", body, bot("POST", "/api/form", body));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).endsWith("|" + body + "|true|caf\u00e9 au lait|true");
  }

  @Test
  void legacyRs512BotTokensOAuthAndServiceTokensAreAcceptedToo() throws Exception {
    MixinBotSigner rsa = new MixinBotSigner(UID, RSA_SID, JwsSigner.rsa(Fixtures.RSA, dev.signet.jwt.JwsAlgorithm.RS512), SIGNING);
    assertThat(send("GET", "/api/me", null, rsa.sign("GET", "/api/me", new byte[0])).body()).startsWith(UID + "|mixin-bot|");
    String oauth = new MixinOAuthSigner(APP, AID, OAUTH, SIGNING).sign("GET", "/api/me", new byte[0],
        TokenOptions.defaults().withScope("PROFILE:READ"));
    HttpResponse<String> r = send("GET", "/api/me", null, oauth);
    assertThat(r.body()).startsWith(UID + "|mixin-oauth||true|null|false");
    String service = new ServiceTokenSigner("billing", "k1", "api", Fixtures.RSA, SIGNING, Duration.ofMinutes(5)).sign("svc-user");
    assertThat(send("GET", "/api/me", null, service).body()).startsWith("svc-user|service|");
  }

  @Test
  void refusalsNeverReachTheServlet() throws Exception {
    String token = bot("GET", "/api/me?a=1", null);
    assertThat(send("GET", "/api/me?a=1", null, token).statusCode()).isEqualTo(200);
    int calls = SERVLET_CALLS.get();

    assertRefused(send("GET", "/api/me?a=1", null, token), 401, "replayed");
    assertRefused(send("GET", "/api/me?a=2", null, bot("GET", "/api/me?a=1", null)), 401, "request_mismatch");
    assertRefused(send("POST", "/api/me", "{\"a\":2}", bot("POST", "/api/me", "{\"a\":1}")), 401, "request_mismatch");
    assertRefused(send("GET", "/api/me", null, null), 401, "malformed");
    assertRefused(send("GET", "/api/me", null, "not.a.token"), 401, "malformed");
    assertRefused(send("GET", "/assets/x", null, SIGNER.sign("GET", "/assets/x", new byte[0],
        TokenOptions.defaults().withScope("SNAPSHOTS:READ"))), 403, "scope");
    assertThat(SERVLET_CALLS.get()).isEqualTo(calls);
    // The scope refusal consumed nothing; the route's scope passes with the right token.
    assertThat(send("GET", "/assets/x", null, SIGNER.sign("GET", "/assets/x", new byte[0],
        TokenOptions.defaults().withScope("ASSETS:READ"))).statusCode()).isEqualTo(200);
  }

  @Test
  void everyVerificationIsReportedWithItsSchemeAndOutcome() throws Exception {
    OUTCOMES.clear();
    String token = bot("GET", "/api/outcomes", null);
    assertThat(send("GET", "/api/outcomes", null, token).statusCode()).isEqualTo(200);
    assertRefused(send("GET", "/api/outcomes", null, token), 401, "replayed");
    assertRefused(send("GET", "/api/outcomes", null, "not.a.token"), 401, "malformed");
    String big = "x".repeat(LIMIT + 1);
    assertRefused(send("POST", "/api/outcomes", big, bot("POST", "/api/outcomes", big)), 413, "body_too_large");
    assertThat(List.copyOf(OUTCOMES))
        .containsExactly("mixin-bot ok", "mixin-bot replayed", "unknown malformed", "unknown body_too_large");
  }

  @Test
  void rateLimitsCountVerifiedRequestsOnlyAndAnswer429WithTheDraftsFields() throws Exception {
    OUTCOMES.clear();
    MixinBotSigner forger = new MixinBotSigner(UID, SID, JwsSigner.eddsa(Fixtures.newEd25519()), SIGNING);
    for (int i = 0; i < 5; i++) {
      assertThat(send("GET", "/limited/x", null, forger.sign("GET", "/limited/x", new byte[0])).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> first = send("GET", "/limited/x", null, bot("GET", "/limited/x", null));
    assertThat(first.statusCode()).as("forged tokens spent none of the quota").isEqualTo(200);
    assertThat(first.headers().allValues("RateLimit-Policy")).containsExactly("\"per-session\";q=2;w=60");
    assertThat(first.headers().allValues("RateLimit")).containsExactly("\"per-session\";r=1;t=30");
    assertThat(send("GET", "/limited/x", null, bot("GET", "/limited/x", null)).statusCode()).isEqualTo(200);
    int calls = SERVLET_CALLS.get();
    HttpResponse<String> over = send("GET", "/limited/x", null, bot("GET", "/limited/x", null));
    assertRefused(over, 429, "rate_limited: per-session allows 2 requests per 60 s per session; retry in 30 s");
    assertThat(over.headers().firstValue("Retry-After")).contains("30");
    assertThat(over.headers().allValues("RateLimit")).containsExactly("\"per-session\";r=0;t=60");
    assertThat(over.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(SERVLET_CALLS.get()).isEqualTo(calls);
    assertThat(OUTCOMES).containsExactly("rate_limited per-session");
  }

  @Test
  void aBodyOverTheLimitIs413EvenWithoutAContentLength() throws Exception {
    String big = "x".repeat(LIMIT + 1);
    assertRefused(send("POST", "/api/upload", big, bot("POST", "/api/upload", big)), 413, "body_too_large");
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/api/upload"))
        .header("Authorization", "Bearer " + bot("POST", "/api/upload", big))
        .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
    assertRefused(HTTP.send(chunked, BodyHandlers.ofString()), 413, "body_too_large");
    String exact = "y".repeat(LIMIT);
    assertThat(send("POST", "/api/upload", exact, bot("POST", "/api/upload", exact)).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyStoreThatCannotAnswerIs503WithoutAChallengeOrTrace() throws Exception {
    MixinBotSigner down = new MixinBotSigner(UID, DOWN_SID, JwsSigner.eddsa(BOT), SIGNING);
    HttpResponse<String> r = send("GET", "/api/me", null, down.sign("GET", "/api/me", new byte[0]));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"error\":{\"status\":503,\"code\":503,\"description\":\"unavailable: key store unavailable\"}}");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void withTheReplayStoreInMemoryTokensIssuedBeforeTheStartAreRefused() throws Exception {
    MixinBotSigner early = new MixinBotSigner(UID, SID, JwsSigner.eddsa(BOT), Clock.offset(CLOCK, Duration.ofSeconds(-5)));
    assertRefused(send("GET", "/api/me", null, early.sign("GET", "/api/me", new byte[0])), 401, "stale");
    VerifierPolicy shared = VerifierPolicy.defaults().restartSafe((id, until) -> true, CLOCK);
    assertThat(shared.issuedAfter()).as("a store shared across processes keeps the policy").isNull();
  }

  @Test
  void pathsOutsideTheMappingAreLeftAlone() throws Exception {
    assertThat(send("GET", "/public", null, null).body()).startsWith("-|-|");
  }

  static void assertRefused(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"error\":{\"status\":" + status + ",\"code\":" + status + ",\"description\":\"" + code);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    if (status == 401) {
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    } else if (status == 403) {
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"insufficient_scope\"");
    }
  }
}
