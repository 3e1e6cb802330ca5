package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.signet.jwt.JwsSigner;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinCipher;
import dev.signet.scheme.mixin.MixinBotSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.server.testing.RpcNodeDouble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} against the running server: every documented operation is called (and
 * nothing undocumented), every answer's status and content type is one the document lists for it,
 * and every JSON answer validates against the document's schema for it.
 */
class OpenApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecureRandom RANDOM = new SecureRandom();
  static final String SEED_004 = GrapheneE2ETest.SEED_004;

  @TempDir
  Path dir;

  LocalServer server;
  MixinBotSigner signer;

  @FunctionalInterface
  interface Call {
    List<Reply> run() throws Exception;
  }

  @Test
  void everyDocumentedOperationAnswersAsDocumented() throws Exception {
    try (RpcNodeDouble node = new RpcNodeDouble()) {
      server = new LocalServer(dir, Map.of("SIGNET_GRAPHENE_AUTH_IDENTIFIER", "alivedb_login",
          "SIGNET_GRAPHENE_NETWORKS_HIVE_PREFIX", "TST", "SIGNET_GRAPHENE_NETWORKS_HIVE_RPC", node.url()));
      try {
        check(calls());
      } finally {
        server.close();
      }
    }
  }

  /**
   * The other way round: every route a face mounts is in the document, with its method. Left out:
   * handlers on every path (request ids, bodies, the 404), the admin guard on {@code /admin/*}, and
   * the configured routes' proxies (their paths are the deployment's, not the API's).
   */
  @Test
  void everyMountedRouteIsDocumented() throws Exception {
    String yaml = "routes:\n  - prefix: /proxied\n    upstream: http://127.0.0.1:9\n";
    try (LocalServer local = new LocalServer(dir, yaml, Map.of())) {
      server = local;
      JsonNode paths = JSON.readTree(get("/openapi.json").raw().body()).get("paths");
      List<String> undocumented = new ArrayList<>();
      int checked = 0;
      for (io.vertx.ext.web.Route route : local.server().router().getRoutes()) {
        String path = route.getName() != null && route.getName().startsWith("/") ? route.getName() : route.getPath();
        if (path == null || path.equals("/admin/") || path.startsWith("/proxied")) {
          continue;
        }
        String documentedPath = openApiPath(path, route.isExactPath());
        JsonNode item = paths.get(documentedPath);
        if (item != null && item.has("$ref")) {
          item = JSON.readTree(get("/openapi.json").raw().body()).at(item.get("$ref").asText().substring(1));
        }
        checked++;
        if (item == null) {
          undocumented.add(path + " (as " + documentedPath + ")");
          continue;
        }
        for (io.vertx.core.http.HttpMethod m : route.methods() == null ? java.util.Set.<io.vertx.core.http.HttpMethod>of() : route.methods()) {
          if (!item.has(m.name().toLowerCase(java.util.Locale.ROOT))) {
            undocumented.add(m.name() + " " + documentedPath);
          }
        }
      }
      assertThat(checked).as("routes checked").isGreaterThan(20);
      assertThat(undocumented).as("mounted routes missing from openapi.json").isEmpty();
    }
  }

  /** A Vert.x route path as the document names it: {@code :uid} is {@code {uid}}, a trailing {@code *} is {@code {path}} (or {@code {file}}). */
  static String openApiPath(String routePath, boolean exact) {
    String p = routePath.replaceAll(":([A-Za-z]+)", "{$1}");
    if (p.endsWith("/*")) {
      p = p.substring(0, p.length() - 2);
    }
    if (!exact) {
      p = p.replaceAll("/$", "") + (p.startsWith("/console") ? "/{file}" : "/{path}");
    }
    return p;
  }

  Map<String, Call> calls() throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
    String uid = server.newUser("openapi");
    JsonNode session = server.adminOk("POST", "/admin/users/" + uid + "/sessions", "{\"public_key\":\"" + key.publicKey().toBase64Url() + "\"}");
    String sid = session.get("session_id").asText();
    X25519PublicKey pinToken = X25519PublicKey.parse(session.get("pin_token").asText());
    server.adminOk("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"123456\"}");
    signer = new MixinBotSigner(uid, sid, JwsSigner.eddsa(key), Clock.systemUTC());
    String app = UUID.randomUUID().toString();
    String pem = dev.signet.keys.RsaPrivateKey.generate(2048, RANDOM).publicKey().toX509Pem();

    Map<String, Call> c = new LinkedHashMap<>();
    c.put("GET /healthz", () -> List.of(get("/healthz")));
    c.put("GET /metrics", () -> List.of(get("/metrics")));
    c.put("GET /openapi.json", () -> List.of(get("/openapi.json")));
    c.put("GET /console", () -> List.of(get("/console")));
    c.put("GET /console/{file}", () -> List.of(get("/console/console.js"), get("/console/console.css"), get("/console/favicon.svg"),
        get("/console/no-such-file.js")));
    c.put("GET /.well-known/jwks.json", () -> List.of(get("/.well-known/jwks.json")));
    c.put("GET /me", () -> List.of(signed("GET", "/me", null), get("/me")));
    // The recorded login trades once: whichever of the two operations runs first takes it.
    String[] access = new String[1];
    Call login = () -> {
      Reply token = server.call("POST", "/getToken", SEED_004, Map.of());
      access[0] = token.data().get("access_token").asText();
      return List.of(token);
    };
    c.put("POST /getToken", () -> {
      List<Reply> replies = new ArrayList<>(access[0] == null ? login.run() : List.of());
      replies.add(server.call("POST", "/getToken", "garbage", Map.of()));
      return replies;
    });
    c.put("GET /currentUser", () -> {
      if (access[0] == null) {
        login.run();
      }
      return List.of(get("/currentUser"), server.call("GET", "/currentUser", null, Map.of("Authorization", "Bearer " + access[0])));
    });
    c.put("POST /pin/verify", () -> {
      String block = PinCipher.encrypt("123456".getBytes(StandardCharsets.US_ASCII), System.currentTimeMillis() / 1000, 1, key, pinToken, RANDOM);
      return List.of(signed("POST", "/pin/verify", "{\"pin\":\"" + block + "\"}"), signed("POST", "/pin/verify", "{\"pin\":\"" + block + "\"}"));
    });
    for (String m : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
      c.put(m + " /decisions", () -> List.of(
          server.call(m, "/decisions", null, Map.of("X-Forwarded-Method", m, "X-Forwarded-Uri", "/x?y=1",
              "Authorization", "Bearer " + signer.sign(m, "/x?y=1", new byte[0]))),
          server.call(m, "/decisions", null, Map.of())));
      c.put(m + " /decisions/{path}", () -> List.of(
          server.call(m, "/decisions/a/b", null, Map.of("Authorization", "Bearer " + signer.sign(m, "/a/b", new byte[0]))),
          server.call(m, "/decisions/a/b", null, Map.of())));
    }
    c.put("POST /admin/users", () -> List.of(server.admin("POST", "/admin/users", "{\"name\":\"x\"}"),
        server.admin("POST", "/admin/users", "{\"user_id\":\"" + uid + "\"}"), server.admin("POST", "/admin/users", "[]"),
        server.call("POST", "/admin/users", "{}", Map.of())));
    c.put("GET /admin/users", () -> List.of(server.admin("GET", "/admin/users?limit=1", null), server.admin("GET", "/admin/users?limit=0", null)));
    c.put("GET /admin/users/{uid}", () -> List.of(server.admin("GET", "/admin/users/" + uid, null),
        server.admin("GET", "/admin/users/" + UUID.randomUUID(), null), server.admin("GET", "/admin/users/x", null)));
    c.put("POST /admin/users/{uid}/sessions", () -> List.of(server.admin("POST", "/admin/users/" + uid + "/sessions", "{}"),
        server.admin("POST", "/admin/users/" + uid + "/sessions", "{\"algorithm\":\"HS256\"}")));
    c.put("PUT /admin/users/{uid}/pin", () -> List.of(server.admin("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"654321\"}"),
        server.admin("PUT", "/admin/users/" + uid + "/pin", "{\"pin\":\"1\"}")));
    c.put("POST /admin/oauth/authorizations", () -> List.of(server.admin("POST", "/admin/oauth/authorizations", JSON.writeValueAsString(
        Map.of("app_id", app, "user_id", uid, "public_key", key.publicKey().toBase64Url(), "scopes", List.of("PROFILE:READ"))))));
    c.put("GET /admin/oauth/authorizations", () -> List.of(server.admin("GET", "/admin/oauth/authorizations?app_id=" + app, null),
        server.admin("GET", "/admin/oauth/authorizations?user_id=nope", null)));
    c.put("DELETE /admin/oauth/authorizations/{aid}", () -> {
      String aid = server.adminOk("GET", "/admin/oauth/authorizations?app_id=" + app, null).at("/authorizations/0/authorization_id").asText();
      return List.of(server.admin("DELETE", "/admin/oauth/authorizations/" + aid, null), server.admin("DELETE", "/admin/oauth/authorizations/" + aid, null));
    });
    c.put("POST /admin/service-keys", () -> List.of(
        server.admin("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org", "kid", "k1", "public_key", pem))),
        server.admin("POST", "/admin/service-keys", JSON.writeValueAsString(Map.of("issuer", "org", "kid", "k1", "public_key", pem)))));
    c.put("GET /admin/service-keys", () -> List.of(server.admin("GET", "/admin/service-keys", null)));
    c.put("DELETE /admin/service-keys/{issuer}/{kid}", () -> List.of(server.admin("DELETE", "/admin/service-keys/org/k1", null),
        server.admin("DELETE", "/admin/service-keys/org/k1", null)));
    c.put("GET /admin/audit", () -> List.of(server.admin("GET", "/admin/audit?limit=2", null), server.admin("GET", "/admin/audit?cursor=x", null)));
    c.put("GET /admin/stats", () -> List.of(server.admin("GET", "/admin/stats", null), server.call("GET", "/admin/stats", null, Map.of())));
    c.put("DELETE /admin/sessions/{sid}", () -> List.of(server.admin("DELETE", "/admin/sessions/" + sid, null),
        server.admin("DELETE", "/admin/sessions/" + sid, null)));
    c.put("DELETE /admin/users/{uid}", () -> List.of(server.admin("DELETE", "/admin/users/" + uid, null),
        server.admin("DELETE", "/admin/users/" + uid, null)));
    return c;
  }

  Reply get(String target) throws Exception {
    return server.call("GET", target, null, Map.of());
  }

  Reply signed(String method, String target, String body) throws Exception {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return server.call(method, target, body, Map.of("Authorization", "Bearer " + signer.sign(method, target, bytes)));
  }

  void check(Map<String, Call> calls) throws Exception {
    JsonNode doc = JSON.readTree(get("/openapi.json").raw().body());
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    TreeSet<String> documented = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    TreeSet<String> statusesSeen = new TreeSet<>();
    for (var path : iterable(doc.get("paths").fieldNames())) {
      String itemPointer = "/paths/" + escape(path);
      JsonNode item = doc.get("paths").get(path);
      if (item.has("$ref")) {
        itemPointer = item.get("$ref").asText().substring(1);
        item = doc.at(itemPointer);
      }
      for (String method : List.of("get", "post", "put", "delete", "patch")) {
        if (!item.has(method)) {
          continue;
        }
        String op = method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        documented.add(op);
        Call call = calls.get(op);
        if (call == null) {
          failures.add(op + ": documented, but this test does not call it");
          continue;
        }
        for (Reply r : call.run()) {
          statusesSeen.add(op + " " + r.status());
          String responsePointer = itemPointer + "/" + method + "/responses/" + r.status();
          JsonNode response = doc.at(responsePointer);
          if (response.isMissingNode()) {
            failures.add(op + ": answered " + r.status() + ", which is not documented: " + r.raw().body());
            continue;
          }
          if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = doc.at(responsePointer);
          }
          String type = r.raw().headers().firstValue("Content-Type").orElse("").replaceAll(";.*", "").strip();
          if (!response.has("content")) {
            if (!r.raw().body().isEmpty()) {
              failures.add(op + " " + r.status() + ": documented without a body, answered " + r.raw().body());
            }
            continue;
          }
          if (!response.get("content").has(type)) {
            failures.add(op + " " + r.status() + ": content type " + type + " is not documented");
            continue;
          }
          if (!type.contains("json")) {
            continue;
          }
          ObjectNode root = doc.deepCopy();
          root.put("$ref", "#" + responsePointer + "/content/" + escape(type) + "/schema");
          Schema schema = registry.getSchema(root);
          var errors = schema.validate(JSON.readTree(r.raw().body()));
          if (!errors.isEmpty()) {
            failures.add(op + " " + r.status() + ": " + errors + " in " + r.raw().body());
          }
        }
      }
    }
    assertThat(new TreeSet<>(calls.keySet())).as("calls of operations the document does not have").isSubsetOf(documented);
    assertThat(failures).isEmpty();
    // The answers really covered both sides: successes and typed refusals.
    assertThat(statusesSeen).contains("GET /me 200", "GET /me 401", "POST /getToken 401", "POST /pin/verify 200", "POST /pin/verify 403",
        "GET /currentUser 200", "GET /decisions/{path} 200", "POST /admin/users 409", "GET /admin/users/{uid} 404", "DELETE /admin/users/{uid} 200");
  }

  static String escape(String pointerPart) {
    return pointerPart.replace("~", "~0").replace("/", "~1");
  }

  static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    List<T> all = new ArrayList<>();
    it.forEachRemaining(all::add);
    return all;
  }
}
