package dev.signet.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    int limit = Cursor.limit(limitParam);
    long before = Long.MAX_VALUE;
    if (cursorParam != null) {
      String id = Cursor.decode("audit", cursorParam, 1).get(0);
      if (!id.matches("[0-9]{1,18}")) {
        throw ApiError.badRequest("cursor is not one this server gave for audit");
      }
      before = Long.parseLong(id);
    }
    List<Records.AuditEntry> rows = store.audit(before, limit + 1);
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Records.AuditEntry e : page(rows, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", e.at());
      m.put("actor", e.actor());
      m.put("address", e.address());
      m.put("action", e.action());
      m.put("target", e.target());
      m.put("detail", e.detail());
      entries.add(m);
    }
    return listing("entries", entries, rows.size() > limit ? Cursor.encode("audit", Long.toString(rows.get(limit - 1).id())) : null);
  }

  /** {@code GET /admin/users}: in user id order, {@code name_prefix} filters by the start of the name. */
  public Map<String, Object> users(String prefixParam, String limitParam, String cursorParam) {
    int limit = Cursor.limit(limitParam);
    String after = cursorParam == null ? null : Cursor.decode("users", cursorParam, 1).get(0);
    if (prefixParam != null && (prefixParam.isEmpty() || prefixParam.length() > 256)) {
      throw ApiError.badRequest("name_prefix must be 1-256 characters");
    }
    List<Records.User> rows = store.users(prefixParam, after, limit + 1);
    List<Map<String, Object>> users = page(rows, limit).stream().map(AdminApi::user).toList();
    return listing("users", users, rows.size() > limit ? Cursor.encode("users", rows.get(limit - 1).userId()) : null);
  }

  /** {@code GET /admin/users/{uid}}: the user with its sessions; {@code recentUse} adds this node's not yet written uses. */
  public Map<String, Object> user(String userId, Map<String, Long> recentUse) {
    uuid(userId, "user id");
    Records.User u = store.user(userId.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> ApiError.notFound("no user " + userId));
    Map<String, Object> out = user(u);
    out.put("has_pin", store.pinState(u.userId()).isPresent());
    List<Map<String, Object>> sessions = new ArrayList<>();
    for (Records.SessionInfo s : store.sessions(u.userId())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("session_id", s.sessionId());
      m.put("algorithm", s.algorithm());
      m.put("public_key", s.publicKey());
      m.put("scopes", s.scopes());
      m.put("created_at", s.createdAt());
      Long recent = recentUse.get(s.sessionId());
      m.put("last_used_at", recent != null && (s.lastUsedAt() == null || recent > s.lastUsedAt()) ? recent : s.lastUsedAt());
      sessions.add(m);
    }
    out.put("sessions", sessions);
    return out;
  }

  /** {@code DELETE /admin/users/{uid}}: the user, its sessions, authorizations and PIN; cached keys are dropped at once. */
  public Map<String, Object> deleteUser(Records.Actor actor, String userId) {
    uuid(userId, "user id");
    String uid = userId.toLowerCase(java.util.Locale.ROOT);
    List<Records.SessionInfo> sessions = store.sessions(uid);
    List<Records.Authorization> authorizations = store.authorizations(uid, null, null, Integer.MAX_VALUE);
    if (!store.audited(actor).deleteUser(uid)) {
      throw ApiError.notFound("no user " + userId);
    }
    sessions.forEach(s -> keys.invalidate(new KeyRef(Scheme.MIXIN_BOT, uid, s.sessionId())));
    authorizations.forEach(a -> keys.invalidate(new KeyRef(Scheme.MIXIN_OAUTH, a.appId(), a.authorizationId())));
    try {
      pinAttempts.reset(uid);
    } catch (VerificationException e) {
      // Redis down: the user is gone already; its wrong-PIN count expires with its lock time.
    }
    return Map.of("user_id", uid, "deleted", true, "sessions_deleted", sessions.size(), "authorizations_deleted", authorizations.size());
  }

  /** {@code GET /admin/oauth/authorizations}: optionally of one {@code user_id} and/or {@code app_id}. */
  public Map<String, Object> authorizations(String userParam, String appParam, String limitParam, String cursorParam) {
    int limit = Cursor.limit(limitParam);
    String user = userParam == null ? null : uuid(userParam, "user_id");
    String app = appParam == null ? null : uuid(appParam, "app_id");
    String after = cursorParam == null ? null : Cursor.decode("authorizations", cursorParam, 1).get(0);
    List<Records.Authorization> rows = store.authorizations(user, app, after, limit + 1);
    List<Map<String, Object>> out = page(rows, limit).stream().map(a -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("authorization_id", a.authorizationId());
      m.put("app_id", a.appId());
      m.put("user_id", a.userId());
      m.put("public_key", a.publicKey());
      m.put("scopes", a.scopes());
      m.put("created_at", a.createdAt());
      return m;
    }).toList();
    return listing("authorizations", out, rows.size() > limit ? Cursor.encode("authorizations", rows.get(limit - 1).authorizationId()) : null);
  }

  /** {@code GET /admin/service-keys}: in (issuer, kid) order. */
  public Map<String, Object> serviceKeys(String limitParam, String cursorParam) {
    int limit = Cursor.limit(limitParam);
    List<String> after = cursorParam == null ? null : Cursor.decode("service-keys", cursorParam, 2);
    List<Records.ServiceKey> rows = store.serviceKeys(after == null ? null : after.get(0), after == null ? null : after.get(1), limit + 1);
    List<Map<String, Object>> out = page(rows, limit).stream().map(k -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("issuer", k.issuer());
      m.put("kid", k.kid());
      m.put("public_key", k.publicKey());
      m.put("created_at", k.createdAt());
      return m;
    }).toList();
    Records.ServiceKey last = rows.size() > limit ? rows.get(limit - 1) : null;
    return listing("service_keys", out, last == null ? null : Cursor.encode("service-keys", last.issuer(), last.kid()));
  }

  private static Map<String, Object> user(Records.User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user_id", u.userId());
    m.put("name", u.name());
    m.put("created_at", u.createdAt());
    m.put("session_count", u.sessions());
    return m;
  }

  private static <T> List<T> page(List<T> rows, int limit) {
    return rows.subList(0, Math.min(limit, rows.size()));
  }

  private static Map<String, Object> listing(String name, List<Map<String, Object>> items, String nextCursor) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(name, items);
    out.put("next_cursor", nextCursor);
    return out;
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
