package dev.signet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.scheme.mixin.MixinBotVerifier;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server that verifies mixin-bot tokens with signet-core, for testing
 * {@code signet request} before {@code signet serve} exists. {@code /forbidden} answers 403 to
 * verified requests; everything else echoes the principal.
 */
final class VerifyingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer http;
  private final MixinBotVerifier verifier;
  private final AtomicInteger accepted = new AtomicInteger();

  private VerifyingServer(HttpServer http, MixinBotVerifier verifier) {
    this.http = http;
    this.verifier = verifier;
  }

  static VerifyingServer start(String uid, String sid, Ed25519PublicKey key) throws IOException {
    Clock clock = Clock.systemUTC();
    KeyRef ref = new KeyRef(Scheme.MIXIN_BOT, uid, sid);
    RegisteredKey registered = new RegisteredKey(JwsKey.eddsa(key), uid, uid, null);
    MixinBotVerifier verifier = new MixinBotVerifier(r -> r.equals(ref) ? Optional.of(registered) : Optional.empty(),
        new InMemoryReplayStore(clock, 1000), clock, VerifierPolicy.defaults());
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    VerifyingServer server = new VerifyingServer(http, verifier);
    http.createContext("/", server::handle);
    http.start();
    return server;
  }

  String url(String target) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + target;
  }

  int accepted() {
    return accepted.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String raw = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
      Principal p;
      try {
        p = verifier.verify(new AuthRequest(ex.getRequestMethod(), raw, body, token));
      } catch (VerificationException e) {
        reply(ex, 401, Map.of("error", Map.of("status", 401, "code", 401, "description", e.failure().code())));
        return;
      }
      accepted.incrementAndGet();
      if (ex.getRequestURI().getPath().equals("/forbidden")) {
        reply(ex, 403, Map.of("error", Map.of("status", 403, "code", 403, "description", "forbidden")));
        return;
      }
      reply(ex, 200, Map.of("data", Map.of("user_id", p.userId(), "jti", p.tokenId(),
          "request_id", String.valueOf(ex.getRequestHeaders().getFirst("X-Request-Id")))));
    }
  }

  private static void reply(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
