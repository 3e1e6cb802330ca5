package dev.signet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Keystore;
import dev.signet.json.StrictJson;
import dev.signet.scheme.httpsig.HttpSignatureSigner;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import dev.signet.scheme.mixin.MixinOAuthSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "request", mixinStandardHelpOptions = true,
    description = {"Send one signed request: a fresh token bound to this method, path, query and body, and a new X-Request-Id.",
        "Prints the response body; exits 1 on an error envelope or an HTTP error status.",
        "With a ws:// or wss:// URL (and no METHOD): open a WebSocket with a signed upgrade (GET, the path, no body),",
        "print each message received on a line and send each line of stdin; stdin's end closes it."})
final class RequestCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "METHOD", description = "or, alone, a ws:// or wss:// URL (e.g. wss://blaze.mixin.one/)")
  String method;

  @Parameters(index = "1", arity = "0..1", paramLabel = "URL", description = "e.g. https://api.mixin.one/me")
  String url;

  @Option(names = "--protocol", paramLabel = "P", description = "WebSocket: a subprotocol to offer (repeatable), e.g. Mixin-Blaze-1")
  List<String> protocols = new ArrayList<>();

  @Option(names = "--gzip", description = "WebSocket: messages are gzip-compressed binary frames both ways (Mixin's Blaze)")
  boolean gzip;

  @Option(names = "--data", description = "request body, or @file / @-")
  String data;

  @Option(names = "--keystore", required = true, paramLabel = "FILE", description = "bot or OAuth keystore JSON")
  String keystore;

  @Option(names = "--http-signature", description = {"sign the request with RFC 9421 HTTP Message Signatures by the bot session",
      "(Signature-Input, Signature, Content-Digest; keyid = the session id) instead of a token"})
  boolean httpSignature;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "(default: ${DEFAULT-VALUE})")
  long timeout;

  @Override
  public void run() {
    Keystore ks = SignCommand.keystore(keystore);
    if (url == null) {
      URI ws = URI.create(method);
      if (ws.getScheme() == null || !ws.getScheme().matches("wss?")) {
        throw new IllegalArgumentException("give METHOD and an http(s) URL, or a ws(s) URL alone");
      }
      WebSocketRequest.run(ws, ks, httpSignature, protocols, gzip, timeout, System.in, spec.commandLine().getOut());
      return;
    }
    if (!protocols.isEmpty() || gzip) {
      throw new IllegalArgumentException("--protocol and --gzip are for ws(s) URLs");
    }
    URI uri = URI.create(url);
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getRawPath() == null) {
      throw new IllegalArgumentException("URL must be http(s)://host/path");
    }
    String verb = method.toUpperCase(Locale.ROOT);
    // Sign exactly the bytes sent: the raw path and query as they go on the wire.
    String target = (uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] body = Values.bytes(data);
    String requestId = UUID.randomUUID().toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(timeout))
        .header("X-Request-Id", requestId)
        .header("Content-Type", "application/json")
        .method(verb, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (httpSignature) {
      if (ks.isOAuth()) {
        throw new IllegalArgumentException("--http-signature signs with a bot session's key; this keystore is an OAuth authorization");
      }
      new HttpSignatureSigner(ks.sessionId(), ks.key(), Clock.systemUTC(), new SecureRandom()).sign(verb, uri, body).forEach(request::header);
    } else {
      TokenOptions options = TokenOptions.defaults().withJti(requestId);
      String token = ks.isOAuth()
          ? new MixinOAuthSigner(ks.userId(), ks.authorizationId(), (Ed25519PrivateKey) ks.key(), Clock.systemUTC())
              .sign(verb, target, body, options.withScope(ks.scope()))
          : new MixinBotSigner(ks.userId(), ks.sessionId(), JwsSigner.of(ks.key(), JwsAlgorithm.RS512), Clock.systemUTC())
              .sign(verb, target, body, options);
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeout)).build();
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("request failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("request interrupted");
    }
    spec.commandLine().getOut().println(response.body());
    String error = errorOf(response);
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
  }

  /** The seeds' error envelope, or an HTTP error status; null on success. */
  private static String errorOf(HttpResponse<String> response) {
    try {
      ObjectNode o = StrictJson.parseObject(response.body());
      JsonNode e = o.get("error");
      if (e != null && e.isObject()) {
        return "error " + e.path("status").asInt(response.statusCode()) + " (code " + e.path("code").asText("?") + "): "
            + e.path("description").asText("");
      }
    } catch (IllegalArgumentException notJson) {
      // Fall through to the status code.
    }
    return response.statusCode() >= 400 ? "HTTP status " + response.statusCode() : null;
  }
}
