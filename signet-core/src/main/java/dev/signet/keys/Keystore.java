package dev.signet.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Hex;
import dev.signet.json.StrictJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Mixin-style keystore file, either generation.
 *
 * <ul>
 *   <li>Newer: {@code app_id}, {@code session_id}, {@code session_private_key} (hex seed),
 *       {@code server_public_key} (hex Ed25519) or {@code pin_token_base64} (X25519); OAuth files add
 *       {@code authorization_id} and {@code scope}.
 *   <li>Older: {@code client_id} or {@code uid}, {@code session_id}, {@code private_key} (base64url
 *       Ed25519 or RSA PEM), {@code pin_token} (base64), {@code pin}.
 * </ul>
 *
 * @param userId the bot or app id ({@code app_id}, {@code client_id} or {@code uid})
 * @param pinToken the server's X25519 PIN key, or null when the file has none
 * @param authorizationId the OAuth authorization id, or null for bot keystores
 * @param scope the OAuth scope, or null
 * @param pin the PIN stored in older files, or null; never printed by {@link #toString()}
 */
public record Keystore(String userId, String sessionId, SigningKey key, X25519PublicKey pinToken,
    String authorizationId, String scope, String pin) {

  public Keystore {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(key, "key");
  }

  public boolean isOAuth() {
    return authorizationId != null;
  }

  public static Keystore parse(String json) {
    ObjectNode o;
    try {
      o = StrictJson.parseObject(json);
    } catch (IllegalArgumentException e) {
      throw new KeyException(KeyException.Reason.ENCODING, "keystore: " + e.getMessage());
    }
    String userId = oneOf(o, "app_id", "client_id", "uid");
    if (userId == null) {
      throw new KeyException(KeyException.Reason.INVALID, "keystore has no app_id, client_id or uid");
    }
    String authorizationId = text(o, "authorization_id");
    String sessionId = text(o, "session_id");
    if (sessionId == null && authorizationId == null) {
      throw new KeyException(KeyException.Reason.INVALID, "keystore has no session_id");
    }
    String seedHex = text(o, "session_private_key");
    String legacyKey = text(o, "private_key");
    if ((seedHex == null) == (legacyKey == null)) {
      throw new KeyException(KeyException.Reason.INVALID,
          "keystore must have exactly one of session_private_key and private_key");
    }
    SigningKey key;
    if (seedHex != null) {
      if (!Hex.isHex(seedHex)) {
        throw new KeyException(KeyException.Reason.ENCODING, "keystore session_private_key is not hex");
      }
      key = Ed25519PrivateKey.fromBytes(Hex.decode(seedHex));
    } else {
      key = SigningKey.parse(legacyKey, RsaChecks.ABSOLUTE_MIN_BITS);
    }
    return new Keystore(userId, sessionId, key, pinToken(o, key), authorizationId, text(o, "scope"), text(o, "pin"));
  }

  private static X25519PublicKey pinToken(ObjectNode o, SigningKey key) {
    String x25519 = text(o, "pin_token_base64");
    if (x25519 != null) {
      return X25519PublicKey.parse(x25519);
    }
    String serverEd25519 = text(o, "server_public_key");
    if (serverEd25519 != null) {
      return Ed25519PublicKey.parse(serverEd25519).toX25519();
    }
    String legacy = text(o, "pin_token");
    if (legacy != null && key instanceof Ed25519PrivateKey) {
      return X25519PublicKey.parse(legacy);
    }
    // RSA sessions' pin_token is an RSA-OAEP encrypted AES key: a PIN scheme Signet does not offer.
    return null;
  }

  /** The newer SDK format; for RSA sessions the older one, since only it can carry a PEM. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app_id", userId);
    if (sessionId != null) {
      m.put("session_id", sessionId);
    }
    if (key instanceof Ed25519PrivateKey ed) {
      m.put("session_private_key", ed.toSeedHex());
    } else {
      m.put("private_key", ((RsaPrivateKey) key).toPkcs1Pem());
    }
    if (pinToken != null) {
      m.put("pin_token_base64", pinToken.toBase64Url());
    }
    if (authorizationId != null) {
      m.put("authorization_id", authorizationId);
    }
    if (scope != null) {
      m.put("scope", scope);
    }
    return new String(StrictJson.write(m), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String oneOf(ObjectNode o, String... names) {
    String found = null;
    for (String n : names) {
      String v = text(o, n);
      if (v != null) {
        if (found != null && !found.equals(v)) {
          throw new KeyException(KeyException.Reason.INVALID, "keystore has conflicting " + String.join("/", names));
        }
        found = v;
      }
    }
    return found;
  }

  private static String text(ObjectNode o, String name) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new KeyException(KeyException.Reason.INVALID, "keystore field " + name + " must be a string");
    }
    String v = n.asText().strip();
    return v.isEmpty() ? null : v;
  }

  @Override
  public String toString() {
    return "Keystore[user=" + userId + ", session=" + sessionId + ", key=" + key.algorithm()
        + (authorizationId == null ? "" : ", authorization=" + authorizationId) + "]";
  }
}
