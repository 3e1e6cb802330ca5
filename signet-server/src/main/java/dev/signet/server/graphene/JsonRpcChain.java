package dev.signet.server.graphene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.scheme.graphene.ChainView;
import dev.signet.scheme.graphene.PostingAuthority;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chain data over Graphene JSON-RPC ({@code condenser_api}), trying each configured node in turn
 * and caching answers briefly (head for a block interval, block ids and accounts for
 * {@code cacheFor}). When no node answers, calls fail with {@code UNAVAILABLE}: logins fail closed.
 */
public final class JsonRpcChain implements ChainView {
  private static final int MAX_CACHED = 10_000;
  private final Map<String, List<URI>> nodes;
  private final HttpClient http;
  private final Clock clock;
  private final Duration timeout;
  private final Duration headCache;
  private final Duration cacheFor;
  private final ObjectMapper json = new ObjectMapper();
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Object value, long expiresAtMillis) {}

  public JsonRpcChain(Map<String, List<URI>> nodes, HttpClient http, Clock clock, Duration timeout, Duration headCache, Duration cacheFor) {
    this.nodes = Map.copyOf(nodes);
    this.http = http;
    this.clock = clock;
    this.timeout = timeout;
    this.headCache = headCache;
    this.cacheFor = cacheFor;
  }

  @Override
  public long headBlockNumber(String network) throws VerificationException {
    return (Long) cached("head:" + network, headCache, () -> {
      long n = call(network, "condenser_api.get_dynamic_global_properties", List.of()).path("head_block_number").asLong(-1);
      if (n <= 0) {
        throw new VerificationException(Failure.UNAVAILABLE, "chain node returned no head block");
      }
      return n;
    });
  }

  @Override
  public Optional<String> blockId(String network, long number) throws VerificationException {
    String id = (String) cached("block:" + network + ":" + number, cacheFor, () -> {
      JsonNode block = call(network, "condenser_api.get_block", List.of(number));
      return block.isObject() ? block.path("block_id").asText("") : "";
    });
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  @Override
  public Optional<PostingAuthority> postingAuthority(String network, String account) throws VerificationException {
    Object a = cached("account:" + network + ":" + account, cacheFor, () -> {
      JsonNode accounts = call(network, "condenser_api.get_accounts", List.of(List.of(account)));
      if (!accounts.isArray() || accounts.isEmpty()) {
        return "none";
      }
      JsonNode posting = accounts.get(0).path("posting");
      Map<String, Long> keys = new HashMap<>();
      for (JsonNode pair : posting.path("key_auths")) {
        keys.put(pair.path(0).asText(), pair.path(1).asLong());
      }
      return new PostingAuthority(posting.path("weight_threshold").asLong(), keys);
    });
    return a instanceof PostingAuthority p ? Optional.of(p) : Optional.empty();
  }

  @FunctionalInterface
  private interface Load {
    Object load() throws VerificationException;
  }

  private Object cached(String key, Duration ttl, Load load) throws VerificationException {
    long now = clock.millis();
    Cached c = cache.get(key);
    if (c != null && c.expiresAtMillis() > now) {
      return c.value();
    }
    Object v = load.load();
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(key, new Cached(v, now + ttl.toMillis()));
    return v;
  }

  private JsonNode call(String network, String method, List<?> params) throws VerificationException {
    List<URI> urls = nodes.getOrDefault(network, List.of());
    for (URI url : urls) {
      try {
        byte[] body = json.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 || r.body().length > (4 << 20)) {
          continue;
        }
        JsonNode root = json.readTree(r.body());
        if (root != null && root.has("result") && !root.has("error")) {
          return root.get("result");
        }
      } catch (IOException e) {
        // Next node.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new VerificationException(Failure.UNAVAILABLE, "no chain node for " + network + " answered");
  }
}
