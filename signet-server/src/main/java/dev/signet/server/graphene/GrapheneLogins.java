package dev.signet.server.graphene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.json.StrictJson;
import dev.signet.replay.ReplayStore;
import dev.signet.scheme.graphene.GrapheneNetwork;
import dev.signet.scheme.graphene.GrapheneVerifier;
import dev.signet.server.config.ServerConfig;
import dev.signet.server.graphene.AccessTokens;
import dev.signet.server.graphene.JsonRpcChain;
import dev.signet.server.http.ApiError;
import dev.signet.store.Store;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.VerificationException;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code /currentUser} and {@code /getToken}: Graphene logins traded for access tokens. */
public final class GrapheneLogins {
  private final ServerConfig.Graphene config;
  private final GrapheneVerifier verifier;
  private final AccessTokens accessTokens;

  private GrapheneLogins(ServerConfig.Graphene config, GrapheneVerifier verifier, AccessTokens accessTokens) {
    this.config = config;
    this.verifier = verifier;
    this.accessTokens = accessTokens;
  }

  public static GrapheneLogins create(ServerConfig server, Store store, ReplayStore replay, Clock clock, SecureRandom random,
      dev.signet.keys.Ed25519Provider ed25519) {
    ServerConfig.Graphene g = server.graphene();
    Duration timeout = Duration.ofSeconds(g.rpcTimeoutSeconds());
    Map<String, List<URI>> nodes = g.networks().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().rpc().stream().map(URI::create).toList()));
    long shortestBlock = g.networks().values().stream().mapToLong(ServerConfig.Network::blockIntervalSeconds).min().orElse(3);
    JsonRpcChain chain = new JsonRpcChain(nodes, HttpClient.newBuilder().connectTimeout(timeout).build(), clock, timeout,
        Duration.ofSeconds(shortestBlock).dividedBy(3), Duration.ofSeconds(30));
    List<GrapheneNetwork> networks = g.networks().entrySet().stream().map(e -> new GrapheneNetwork(e.getKey(),
        e.getValue().prefix(), e.getValue().authTimeoutBlocks(), Duration.ofSeconds(e.getValue().blockIntervalSeconds()))).toList();
    GrapheneVerifier verifier = new GrapheneVerifier(g.authIdentifier(), networks, chain, replay, clock);
    AccessTokens tokens = AccessTokens.load(store, g.authIdentifier(), Duration.ofSeconds(g.accessTokenTtl()), clock, random, ed25519);
    return new GrapheneLogins(g, verifier, tokens);
  }

  public AccessTokens accessTokens() {
    return accessTokens;
  }

  public Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("logged_in", false);
    out.put("auth_identifier", config.authIdentifier());
    out.put("networks", config.networks().keySet().stream().sorted().toList());
    out.put("auth_timeout_blocks", config.networks().values().stream().mapToInt(ServerConfig.Network::authTimeoutBlocks).min().orElse(0));
    return out;
  }

  /** The body is the 7-part payload as text, or {@code {"payload": "..."}}: a bearer access token. */
  public Map<String, Object> login(Buffer body) throws VerificationException {
    return login(body, null);
  }

  /**
   * As {@link #login(Buffer)}; with {@code proofKey} (the thumbprint of a DPoP proof the caller
   * checked and claimed), the access token is bound to that key.
   */
  public Map<String, Object> login(Buffer body, String proofKey) throws VerificationException {
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest("malformed: the body must be the login payload");
    }
    String text = body.toString(StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      JsonNode payload;
      try {
        payload = StrictJson.parseObject(text).get("payload");
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("malformed: body: " + e.getMessage());
      }
      if (payload == null || !payload.isTextual()) {
        throw ApiError.badRequest("malformed: body must be {\"payload\": \"user:link:...\"}");
      }
      text = payload.textValue();
    }
    return accessTokens.issue(verifier.verify(AuthRequest.unbound(text)), proofKey);
  }
}
