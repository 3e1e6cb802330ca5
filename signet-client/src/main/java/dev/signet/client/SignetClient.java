package dev.signet.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.signet.codec.Hex;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.httpsig.HttpSignatureSigner;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import dev.signet.scheme.service.ServiceTokenSigner;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A signing HTTP client: every request gets a new token bound to the exact method, path, query and
 * body sent, a new {@code jti} and a matching {@code X-Request-Id}, also on retries. Connect errors
 * and 5xx answers move to the next server; responses are decoded from the {@code {"data": ...}}
 * envelope or raised as {@link ApiException}. Thread-safe; holds no static state.
 */
public final class SignetClient {
  private final Credentials credentials;
  private final List<URI> servers;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final int maxResponseBytes;
  private final PinIterator pinIterator;
  private final SecureRandom random;
  private final ObjectMapper json;
  private final MixinBotSigner botSigner;
  private final MixinOAuthSigner oauthSigner;
  private final ServiceTokenSigner serviceSigner;
  private final GrapheneLogin grapheneLogin;
  /** Bot sessions signing RFC 9421 message signatures instead of tokens, or null. */
  private final HttpSignatureSigner httpSigner;

  private SignetClient(Builder b) {
    this.credentials = b.credentials;
    this.servers = ApiServers.check(b.servers);
    this.clock = b.clock;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.maxResponseBytes = b.maxResponseBytes;
    this.random = b.random;
    this.pinIterator = b.pinIterator != null ? b.pinIterator : PinIterator.clock(clock);
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(timeout).build();
    this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    Credentials c = credentials;
    this.botSigner = c instanceof Credentials.Bot bot
        ? new MixinBotSigner(bot.userId(), bot.sessionId(), JwsSigner.of(bot.key(), JwsAlgorithm.RS512), clock) : null;
    this.oauthSigner = c instanceof Credentials.OAuth o ? new MixinOAuthSigner(o.appId(), o.authorizationId(), o.key(), clock) : null;
    this.serviceSigner = c instanceof Credentials.Service s
        ? new ServiceTokenSigner(s.issuer(), s.kid(), s.audience(), s.key(), clock, ServiceTokenSigner.MAX_TTL.dividedBy(12)) : null;
    if (b.httpSignatures && !(c instanceof Credentials.Bot)) {
      throw new IllegalArgumentException("HTTP message signatures are made with a bot session's key (Credentials.Bot)");
    }
    this.httpSigner = b.httpSignatures ? new HttpSignatureSigner(((Credentials.Bot) c).sessionId(), ((Credentials.Bot) c).key(), clock,
        random) : null;
    this.grapheneLogin = c instanceof Credentials.Graphene g
        ? new GrapheneLogin(g, new GrapheneRpc(g.rpcNodes(), http, timeout, json), clock, b.renewBefore, this) : null;
  }

  public static Builder builder(Credentials credentials) {
    return new Builder(credentials);
  }

  /**
   * Opens a WebSocket at {@code uri} ({@code ws://} or {@code wss://}) with a signed upgrade, as the
   * SDKs open theirs: a fresh token for {@code GET}, the path and query, and an empty body (or an
   * RFC 9421 signature with {@link Builder#httpSignatures}). It reopens with a new token after a
   * drop, backing off (see {@link SignetWebSocket}). The future fails with {@link ApiException}
   * when the first upgrade is refused.
   */
  public CompletableFuture<SignetWebSocket> webSocket(URI uri, SignetWebSocket.Listener listener, SignetWebSocket.Options options) {
    return SignetWebSocket.open(this, http, uri, listener, options, timeout, backoff, maxAttempts);
  }

  /** The same with {@link SignetWebSocket.Options#defaults()}. */
  public CompletableFuture<SignetWebSocket> webSocket(URI uri, SignetWebSocket.Listener listener) {
    return webSocket(uri, listener, SignetWebSocket.Options.defaults());
  }

  // ---- requests -------------------------------------------------------------------------------

  public JsonNode get(String target) {
    return join(sendAsync("GET", target, null, JsonNode.class));
  }

  public <T> T get(String target, Class<T> type) {
    return join(sendAsync("GET", target, null, type));
  }

  /** POSTs {@code body} as JSON: the serialised bytes are exactly what is signed and sent. */
  public <T> T post(String target, Object body, Class<T> type) {
    return join(sendAsync("POST", target, toJson(body), type));
  }

  public <T> T send(String method, String target, byte[] body, Class<T> type) {
    return join(sendAsync(method, target, body, type));
  }

  /** The request, asynchronously; fails with {@link ApiException}. */
  public <T> CompletableFuture<T> sendAsync(String method, String target, byte[] body, Class<T> type) {
    Call call = new Call(method, target, body == null ? new byte[0] : body, "application/json", true);
    return exchange(call, 0).thenApply(ex -> convert(data(ex), type, ex.requestId()));
  }

  public <T> CompletableFuture<T> postAsync(String target, Object body, Class<T> type) {
    return sendAsync("POST", target, toJson(body), type);
  }

  // ---- PIN ------------------------------------------------------------------------------------

  /**
   * Encrypts a PIN for the session's PIN token: 6 digits as seed 003 sends them, or the hex of a
   * TIP PIN as the newer SDKs do. Each call takes a new iterator value.
   */
  public String encryptPin(String pin) {
    byte[] bytes = pin.matches("[0-9]{6}") ? pin.getBytes(StandardCharsets.US_ASCII) : hexPin(pin);
    Ed25519PrivateKey key;
    X25519PublicKey token;
    if (credentials instanceof Credentials.Bot bot && bot.key() instanceof Ed25519PrivateKey ed) {
      key = ed;
      token = bot.pinToken();
    } else if (credentials instanceof Credentials.OAuth o) {
      key = o.key();
      token = o.pinToken();
    } else {
      throw new IllegalStateException("PINs need Ed25519 bot or OAuth credentials");
    }
    if (token == null) {
      throw new IllegalStateException("these credentials have no PIN token");
    }
    return PinCipher.encrypt(bytes, clock.instant().getEpochSecond(), pinIterator.next(), key, token, random);
  }

  private static byte[] hexPin(String pin) {
    if (!Hex.isHex(pin)) {
      throw new IllegalArgumentException("a PIN is 6 digits or the hex of a TIP PIN");
    }
    return Hex.decode(pin);
  }

  // ---- internals ------------------------------------------------------------------------------

  /** One logical request; {@code signed} is false for the unauthenticated login calls. */
  record Call(String method, String target, byte[] body, String contentType, boolean signed) {}

  /** One answered attempt. */
  record Exchange(int status, byte[] body, String requestId) {}

  CompletableFuture<Exchange> exchange(Call call, int attempt) {
    URI server = servers.get(attempt % servers.size());
    String requestId = UUID.randomUUID().toString();
    URI uri = URI.create(server.toString().replaceAll("/$", "") + call.target());
    return authorization(call, requestId).thenCompose(auth -> {
      HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("X-Request-Id", requestId)
          .header("Content-Type", call.contentType())
          .method(call.method(), call.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(call.body()));
      if (auth != null) {
        rb.header("Authorization", auth);
      } else if (httpSigner != null && call.signed()) {
        // A fresh signature (and nonce) per attempt, over the URI of the server this attempt goes to.
        httpSigner.sign(call.method().toUpperCase(java.util.Locale.ROOT), uri, call.body()).forEach(rb::header);
      }
      return http.sendAsync(rb.build(), LimitedBody.handler(maxResponseBytes))
          .handle((resp, err) -> next(call, attempt, requestId, resp, err))
          .thenCompose(f -> f);
    });
  }

  private CompletableFuture<Exchange> next(Call call, int attempt, String requestId, HttpResponse<byte[]> resp, Throwable err) {
    Throwable cause = unwrap(err);
    if (cause instanceof LimitedBody.TooLarge tl) {
      return CompletableFuture.failedFuture(new ApiException(tl.status, tl.status, tl.getMessage(), requestId, null));
    }
    boolean serverError = cause == null && resp.statusCode() >= 500;
    boolean unreachable = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
    if (cause == null && !serverError) {
      return CompletableFuture.completedFuture(new Exchange(resp.statusCode(), resp.body(), requestId));
    }
    if (!serverError && !unreachable) {
      // The request may have reached the server: not retried, it might not be idempotent.
      return CompletableFuture.failedFuture(new ApiException(ApiException.NO_RESPONSE, ApiException.NO_RESPONSE,
          "request failed: " + cause.getClass().getSimpleName(), requestId, cause));
    }
    if (attempt + 1 >= maxAttempts) {
      if (serverError) {
        return CompletableFuture.completedFuture(new Exchange(resp.statusCode(), resp.body(), requestId));
      }
      return CompletableFuture.failedFuture(new ApiException(ApiException.NO_RESPONSE, ApiException.NO_RESPONSE,
          "no API server reachable after " + maxAttempts + " attempts", requestId, cause));
    }
    // Every server once without waiting, then back off before the next round.
    long delay = (attempt + 1) % servers.size() == 0 ? backoff.toMillis() << Math.min(10, (attempt + 1) / servers.size() - 1) : 0;
    return CompletableFuture.supplyAsync(() -> call, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(c -> exchange(c, attempt + 1));
  }

  /**
   * The headers that authenticate one WebSocket upgrade to {@code uri}: {@code X-Request-Id} and a
   * new token over {@code GET}, the raw path and query and no body, or an RFC 9421 signature over
   * the upgrade's {@code http(s)} URI.
   */
  CompletableFuture<java.util.Map<String, String>> upgradeHeaders(URI uri) {
    String requestId = UUID.randomUUID().toString();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("X-Request-Id", requestId);
    if (httpSigner != null) {
      URI http = URI.create(uri.toString().replaceFirst("^ws", "http"));
      headers.putAll(httpSigner.sign("GET", http, new byte[0]));
      return CompletableFuture.completedFuture(headers);
    }
    return authorization(new Call("GET", target, new byte[0], "application/json", true), requestId).thenApply(auth -> {
      headers.put("Authorization", auth);
      return headers;
    });
  }

  /** A new token for every attempt: never reused, so a server that saw one attempt accepts the next. */
  private CompletableFuture<String> authorization(Call call, String requestId) {
    if (!call.signed() || httpSigner != null) {  // HTTP-signed requests carry no Authorization
      return CompletableFuture.completedFuture(null);
    }
    String method = call.method().toUpperCase(java.util.Locale.ROOT);
    if (botSigner != null) {
      return done(botSigner.sign(method, call.target(), call.body(), TokenOptions.defaults().withJti(requestId)));
    }
    if (oauthSigner != null) {
      String scope = ((Credentials.OAuth) credentials).scope();
      return done(oauthSigner.sign(method, call.target(), call.body(), TokenOptions.defaults().withScope(scope).withJti(requestId)));
    }
    if (serviceSigner != null) {
      return done(serviceSigner.sign(((Credentials.Service) credentials).subject()));
    }
    return grapheneLogin.accessToken().thenApply(t -> "Bearer " + t);
  }

  private static CompletableFuture<String> done(String token) {
    return CompletableFuture.completedFuture("Bearer " + token);
  }

  JsonNode data(Exchange ex) {
    JsonNode root;
    try {
      root = json.readTree(ex.body());
    } catch (java.io.IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(ex.status(), ex.status(), "response is not a JSON object", ex.requestId(), null);
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      throw new ApiException(error.path("status").asInt(ex.status()), error.path("code").asInt(ex.status()),
          error.path("description").asText(""), ex.requestId(), null);
    }
    if (ex.status() >= 400) {
      throw new ApiException(ex.status(), ex.status(), "HTTP " + ex.status() + " without an error envelope", ex.requestId(), null);
    }
    if (!root.has("data")) {
      throw new ApiException(ex.status(), ex.status(), "response has no data", ex.requestId(), null);
    }
    return root.get("data");
  }

  private <T> T convert(JsonNode data, Class<T> type, String requestId) {
    try {
      return json.treeToValue(data, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ApiException(200, 200, "response data does not fit " + type.getSimpleName(), requestId, e);
    }
  }

  private byte[] toJson(Object body) {
    if (body == null) {
      return new byte[0];
    }
    if (body instanceof byte[] raw) {
      return raw;
    }
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = unwrap(e);
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new ApiException(ApiException.NO_RESPONSE, ApiException.NO_RESPONSE, String.valueOf(c), null, c);
    }
  }


  /** Configuration; defaults: the Mixin global servers, 10 s timeout, 3 attempts, 200 ms backoff, 4 MiB responses. */
  public static final class Builder {
    private final Credentials credentials;
    private List<URI> servers = ApiServers.MIXIN_GLOBAL;
    private HttpClient http;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(10);
    private int maxAttempts = 3;
    private Duration backoff = Duration.ofMillis(200);
    private int maxResponseBytes = 4 << 20;
    private PinIterator pinIterator;
    private SecureRandom random = new SecureRandom();
    private Duration renewBefore = Duration.ofSeconds(60);
    private boolean httpSignatures;

    private Builder(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials);
    }

    public Builder servers(List<URI> servers) {
      this.servers = servers;
      return this;
    }

    public Builder httpClient(HttpClient http) {
      this.http = http;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Attempts in all, across servers (at least 1). */
    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = n;
      return this;
    }

    public Builder backoff(Duration base) {
      this.backoff = Objects.requireNonNull(base);
      return this;
    }

    public Builder maxResponseBytes(int n) {
      this.maxResponseBytes = n;
      return this;
    }

    public Builder pinIterator(PinIterator iterator) {
      this.pinIterator = iterator;
      return this;
    }

    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    /** Graphene access tokens are renewed this long before they expire. */
    public Builder renewBefore(Duration d) {
      this.renewBefore = Objects.requireNonNull(d);
      return this;
    }

    /**
     * Sign requests with RFC 9421 HTTP Message Signatures by the bot session ({@code keyid} = its
     * session id; {@code @method}, {@code @target-uri} and {@code content-digest} covered) instead of
     * sending a token. For servers that accept them, such as {@code signet serve}.
     */
    public Builder httpSignatures(boolean on) {
      this.httpSignatures = on;
      return this;
    }

    public SignetClient build() {
      return new SignetClient(this);
    }
  }
}
