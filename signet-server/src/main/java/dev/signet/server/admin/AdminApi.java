package dev.signet.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Base64Url;
import dev.signet.codec.Hex;
import dev.signet.json.StrictJson;
import dev.signet.jwt.JwsAlgorithm;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.KeyException;
import dev.signet.keys.Keystore;
import dev.signet.keys.RsaPublicKey;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.pin.PinCipher;
import dev.signet.pin.PinHash;
import dev.signet.server.http.ApiError;
import dev.signet.server.pin.PinAttempts;
import dev.signet.store.Records;
import dev.signet.store.Store;
import dev.signet.store.StoreKeyResolver;
import dev.signet.verify.KeyRef;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The admin API's operations, on parsed JSON; every bad input is an {@link ApiError}. */
public final class AdminApi {
  private final Store store;
  private final StoreKeyResolver keys;
  private final Clock clock;
  private final SecureRandom random;
  private final PinAttempts pinAttempts;

  public AdminApi(Store store, StoreKeyResolver keys, Clock clock, SecureRandom random, PinAttempts pinAttempts) {
    this.store = store;
    this.keys = keys;
    this.clock = clock;
    this.random = random;
    this.pinAttempts = pinAttempts;
  }

  /** An admin request's body: one strict JSON object, or a 400 saying why not. */
  public static ObjectNode body(byte[] bytes) {
    if (bytes.length == 0) {
      throw ApiError.badRequest("a JSON object body is required");
    }
    try {
      return StrictJson.parseObject(bytes);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("body: " + e.getMessage());
    }
  }

  public Map<String, Object> createUser(Records.Actor actor, ObjectNode body) {
    String userId = optionalText(body, "user_id");
    userId = userId == null ? UUID.randomUUID().toString() : uuid(userId, "user_id");
    String name = optionalText(body, "name");
    if (name != null && name.length() > 256) {
      throw ApiError.badRequest("name is longer than 256 characters");
    }
    if (!store.audited(actor).createUser(userId, name, now())) {
      throw ApiError.conflict("user " + userId + " exists");
    }
    return Map.of("user_id", userId);
  }

  /**
   * A session for a user: with {@code public_key}, the client holds the private key; without, the
   * server makes an Ed25519 key pair and returns it once, as a newer-SDK keystore.
   */
  public Map<String, Object> createSession(Records.Actor actor, String userId, ObjectNode body) {
    uuid(userId, "user id");
    requireUser(userId);
    String algorithmName = optionalText(body, "algorithm");
    JwsAlgorithm algorithm = algorithmName == null ? JwsAlgorithm.EdDSA : parseAlgorithm(algorithmName);
    String publicKey = optionalText(body, "public_key");
    Ed25519PrivateKey generated = null;
    if (publicKey == null) {
      if (algorithm != JwsAlgorithm.EdDSA) {
        throw ApiError.badRequest("the server generates Ed25519 keys only; send an RSA public_key for RS512");
      }
      generated = Ed25519PrivateKey.generate(random);
      publicKey = generated.publicKey().toBase64Url();
    }
    String normalized = normalizeSessionKey(algorithm, publicKey);
    X25519PrivateKey pinKey = X25519PrivateKey.generate(random);
    String sessionId = UUID.randomUUID().toString();
    store.audited(actor).createSession(new Records.Session(sessionId, userId, algorithm.name(), normalized, scopes(body, false),
        Hex.encode(pinKey.toBytes()), now()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("session_id", sessionId);
    out.put("pin_token", pinKey.publicKey().toBase64Url());
    if (generated != null) {
      Keystore ks = new Keystore(userId, sessionId, generated, pinKey.publicKey(), null, null, null);
      out.put("keystore", StrictJson.parseObject(ks.toJson()));
    }
    return out;
  }

  public Map<String, Object> deleteSession(Records.Actor actor, String sessionId) {
    Records.Session s = store.session(sessionId).orElseThrow(() -> ApiError.notFound("no session " + sessionId));
    store.audited(actor).deleteSession(sessionId);
    keys.invalidate(new KeyRef(Scheme.MIXIN_BOT, s.userId(), sessionId));
    return Map.of("session_id", sessionId, "deleted", true);
  }

  public Map<String, Object> setPin(Records.Actor actor, String userId, ObjectNode body) throws VerificationException {
    requireUser(userId);
    String pin = optionalText(body, "pin");
    if (pin == null) {
      throw ApiError.badRequest("pin is required");
    }
    byte[] bytes;
    try {
      bytes = PinCipher.digits(pin);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("pin must be 6 digits");
    }
    store.audited(actor).setPinHash(userId, PinHash.hash(bytes, random));
    pinAttempts.reset(userId);
    return Map.of("user_id", userId, "updated", true);
  }

  public Map<String, Object> createAuthorization(Records.Actor actor, ObjectNode body) {
    String appId = uuid(requiredText(body, "app_id"), "app_id");
    String userId = uuid(requiredText(body, "user_id"), "user_id");
    requireUser(userId);
    String publicKey = normalizeSessionKey(JwsAlgorithm.EdDSA, requiredText(body, "public_key"));
    Set<String> scopes = scopes(body, true);
    String id = UUID.randomUUID().toString();
    store.audited(actor).createAuthorization(new Records.Authorization(id, appId, userId, publicKey, scopes, now()));
    return Map.of("authorization_id", id);
  }

  public Map<String, Object> deleteAuthorization(Records.Actor actor, String id) {
    Records.Authorization a = store.authorization(id).orElseThrow(() -> ApiError.notFound("no authorization " + id));
    store.audited(actor).deleteAuthorization(id);
    keys.invalidate(new KeyRef(Scheme.MIXIN_OAUTH, a.appId(), id));
    return Map.of("authorization_id", id, "deleted", true);
  }

  public Map<String, Object> createServiceKey(Records.Actor actor, ObjectNode body) {
    String issuer = boundedText(body, "issuer");
    String kid = boundedText(body, "kid");
    String pem = requiredText(body, "public_key");
    String normalized;
    try {
      normalized = RsaPublicKey.parse(pem).toX509Pem();
    } catch (KeyException e) {
      throw ApiError.badRequest("public_key: " + e.getMessage());
    }
    if (!store.audited(actor).createServiceKey(new Records.ServiceKey(issuer, kid, normalized, now()))) {
      throw ApiError.conflict("service key " + issuer + "/" + kid + " exists; delete it first to rotate");
    }
    return Map.of("issuer", issuer, "kid", kid);
  }

  public Map<String, Object> deleteServiceKey(Records.Actor actor, String issuer, String kid) {
    if (!store.audited(actor).deleteServiceKey(issuer, kid)) {
      throw ApiError.notFound("no service key " + issuer + "/" + kid);
    }
    keys.invalidate(new KeyRef(Scheme.SERVICE, issuer, kid));
    return Map.of("issuer", issuer, "kid", kid, "deleted", true);
  }

  /**
   * {@code GET /admin/audit}: admin changes, newest first, {@code limit} (1-500, default 100) per
   * page; {@code next_cursor} (opaque) fetches the page after, null on the last one.
   */
  public Map<String, Object> audit(String limitParam, String cursorParam) {
    int limit = 100;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 500) {
        throw ApiError.badRequest("limit must be 1-500");
      }
    }
    long before = cursorParam == null ? Long.MAX_VALUE : cursor(cursorParam);
    java.util.List<Records.AuditEntry> rows = store.audit(before, limit + 1);
    java.util.List<Map<String, Object>> entries = new java.util.ArrayList<>();
    for (Records.AuditEntry e : rows.subList(0, Math.min(limit, rows.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", e.at());
      m.put("actor", e.actor());
      m.put("address", e.address());
      m.put("action", e.action());
      m.put("target", e.target());
      m.put("detail", e.detail());
      entries.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entries", entries);
    out.put("next_cursor", rows.size() > limit ? Base64Url.encode(("audit:" + rows.get(limit - 1).id()).getBytes(StandardCharsets.US_ASCII)) : null);
    return out;
  }

  private static long cursor(String text) {
    try {
      String decoded = new String(Base64Url.decode(text), StandardCharsets.US_ASCII);
      if (decoded.matches("audit:[0-9]{1,18}")) {
        return Long.parseLong(decoded.substring(6));
      }
    } catch (IllegalArgumentException e) {
      // not base64url: refused below
    }
    throw ApiError.badRequest("cursor is not one this server gave");
  }

  // ---- input checks ----

  private long now() {
    return clock.instant().getEpochSecond();
  }

  private void requireUser(String userId) {
    if (!store.userExists(userId)) {
      throw ApiError.notFound("no user " + userId);
    }
  }

  private static String normalizeSessionKey(JwsAlgorithm algorithm, String text) {
    try {
      return algorithm == JwsAlgorithm.EdDSA
          ? Ed25519PublicKey.parse(text).toBase64Url()
          : RsaPublicKey.parse(text, 1024).toX509Pem();
    } catch (KeyException e) {
      throw ApiError.badRequest("public_key: " + e.getMessage());
    }
  }

  private static JwsAlgorithm parseAlgorithm(String name) {
    if (name.equals("EdDSA")) {
      return JwsAlgorithm.EdDSA;
    }
    if (name.equals("RS512")) {
      return JwsAlgorithm.RS512;
    }
    throw ApiError.badRequest("algorithm must be EdDSA or RS512");
  }

  /** {@code scopes}: an array of strings; absent means unrestricted unless {@code required}. */
  private static Set<String> scopes(ObjectNode body, boolean required) {
    JsonNode n = body.get("scopes");
    if (n == null || n.isNull()) {
      if (required) {
        throw ApiError.badRequest("scopes is required");
      }
      return null;
    }
    if (!n.isArray() || n.size() == 0 || n.size() > 64) {
      throw ApiError.badRequest("scopes must be an array of 1 to 64 strings");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode s : n) {
      if (!s.isTextual() || !s.textValue().matches("[A-Za-z0-9:_.-]{1,64}")) {
        throw ApiError.badRequest("each scope must be 1-64 characters of A-Z, a-z, 0-9, ':', '_', '.', '-'");
      }
      out.add(s.textValue());
    }
    return out;
  }

  private static String uuid(String value, String what) {
    if (!TokenChecks.isUuid(value)) {
      throw ApiError.badRequest(what + " must be a UUID");
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  private static String boundedText(ObjectNode body, String name) {
    String v = requiredText(body, name);
    if (v.length() > 256 || !v.matches("[\\x21-\\x7e]+")) {
      throw ApiError.badRequest(name + " must be 1-256 printable characters without spaces");
    }
    return v;
  }

  private static String requiredText(ObjectNode body, String name) {
    String v = optionalText(body, name);
    if (v == null) {
      throw ApiError.badRequest(name + " is required");
    }
    return v;
  }

  private static String optionalText(ObjectNode body, String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.textValue().isBlank()) {
      throw ApiError.badRequest(name + " must be a non-empty string");
    }
    return n.textValue();
  }
}
