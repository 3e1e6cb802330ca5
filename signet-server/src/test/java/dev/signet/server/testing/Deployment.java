package dev.signet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code signet serve} with one registered bot session, and a real upstream process (a Python
 * server that echoes method, target, headers and body as JSON), for the proxy and gateway tests.
 */
public final class Deployment implements AutoCloseable {

  public final Process upstream;
  public final int upstreamPort;
  public final LocalServer server;
  public final String uid;
  public final String sid;
  public final MixinBotSigner signer;
  /** The session's key and the server's PIN key for it; the user's PIN is 123456. */
  public final Ed25519PrivateKey key;
  public final X25519PublicKey pinToken;

  /** @param configLines extra YAML lines; {@code UPSTREAM} in them stands for the upstream's port */
  public Deployment(Path dir, List<String> configLines) throws Exception {
    Path script = dir.resolve("echo_upstream.py");
    try (var in = Deployment.class.getResourceAsStream("/echo_upstream.py")) {
      Files.copy(in, script);
    }
    upstream = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    upstreamPort = Integer.parseInt(new BufferedReader(new InputStreamReader(upstream.getInputStream(), StandardCharsets.US_ASCII))
        .readLine().strip());
    List<String> lines = new java.util.ArrayList<>();
    configLines.forEach(l -> lines.add(l.replace("UPSTREAM", String.valueOf(upstreamPort))));
    server = new LocalServer(dir, String.join("\n", lines) + "\n", Map.of());
    uid = server.newUser("deployment");
    key = Ed25519PrivateKey.generate(new SecureRandom());
    JsonNode session = server.adminOk("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}");
    sid = session.get("session_id").asText();
    pinToken = X25519PublicKey.parse(session.get("pin_token").asText());
    server.adminOk("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}");
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
  }

  public String token(String method, String target, String body, TokenOptions options) {
    return signer.sign(method, target, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), options);
  }

  public String token(String method, String target, String body) {
    return token(method, target, body, TokenOptions.defaults());
  }

  public LocalServer.Reply send(String method, String target, String body, Map<String, String> headers) throws Exception {
    return server.call(method, target, body, headers);
  }

  /** The headers map plus {@code Authorization: Bearer token}. */
  public static Map<String, String> bearer(String token, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(headers);
    h.put("Authorization", "Bearer " + token);
    return h;
  }

  @Override
  public void close() throws Exception {
    server.close();
    upstream.destroy();
    upstream.waitFor(10, TimeUnit.SECONDS);
  }
}
