package dev.signet.jwks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.RsaPublicKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verification keys of a JSON Web Key Set (RFC 7517) that Signet will use, by {@code kid}.
 *
 * <p>A key is used only if it has a {@code kid}, its {@code use} is {@code sig} or absent, its
 * {@code key_ops} (if any) include {@code verify}, it has no private members, and it is RSA of at
 * least 2048 bits or an Ed25519 OKP key. The algorithm comes from the key: RS256 for RSA, EdDSA for
 * Ed25519; an {@code alg} member may only name that algorithm (then it pins it), any other makes
 * the key unusable. Keys that fail these rules are skipped with a reason (a set may carry keys for
 * other purposes); a document that is not a key set, or names one {@code kid} twice, is refused
 * whole, so that a half-read set never replaces a good one.
 */
public record JwkSet(Map<String, JwsKey> keys, List<String> skipped) {
  /** Larger documents are refused before parsing. */
  public static final int MAX_BYTES = 256 * 1024;
  private static final int MAX_KEYS = 100;
  /** JWK members that only private (or symmetric) keys have (RFC 7518 section 6). */
  public static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  public JwkSet {
    keys = Map.copyOf(keys);
    skipped = List.copyOf(skipped);
  }

  /**
   * @throws IllegalArgumentException naming why the document is not a usable key set
   */
  public static JwkSet parse(byte[] json, Ed25519Provider ed25519) {
    if (json.length > MAX_BYTES) {
      throw new IllegalArgumentException("JWKS larger than " + MAX_BYTES + " bytes");
    }
    ObjectNode doc = StrictJson.parseObject(json);
    JsonNode list = doc.get("keys");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("JWKS has no keys array");
    }
    if (list.size() > MAX_KEYS) {
      throw new IllegalArgumentException("JWKS has more than " + MAX_KEYS + " keys");
    }
    Map<String, JwsKey> keys = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode jwk = list.get(i);
      if (!jwk.isObject()) {
        throw new IllegalArgumentException("JWKS key " + i + " is not an object");
      }
      String kid = text(jwk, "kid");
      if (kid != null && !seen.add(kid)) {
        throw new IllegalArgumentException("JWKS names kid " + printable(kid) + " twice");
      }
      try {
        keys.put(requireKid(kid), key((ObjectNode) jwk, ed25519));
      } catch (IllegalArgumentException e) {
        skipped.add("key " + i + (kid == null ? "" : " (kid " + printable(kid) + ")") + ": " + e.getMessage());
      }
    }
    return new JwkSet(keys, skipped);
  }

  private static String requireKid(String kid) {
    if (kid == null || kid.isEmpty() || kid.length() > 256) {
      throw new IllegalArgumentException("no kid (service tokens name their key by kid)");
    }
    return kid;
  }

  private static JwsKey key(ObjectNode jwk, Ed25519Provider ed25519) {
    for (String m : PRIVATE_MEMBERS) {
      if (jwk.has(m)) {
        throw new IllegalArgumentException("holds private key material (" + m + "): never published, not used");
      }
    }
    String use = text(jwk, "use");
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException("use is " + printable(use) + ", not sig");
    }
    JsonNode ops = jwk.get("key_ops");
    if (ops != null && !(ops.isArray() && contains(ops, "verify"))) {
      throw new IllegalArgumentException("key_ops does not include verify");
    }
    String kty = text(jwk, "kty");
    String alg = text(jwk, "alg");
    if ("RSA".equals(kty)) {
      pin(alg, "RS256");
      BigInteger n = new BigInteger(1, bytes(jwk, "n"));
      BigInteger e = new BigInteger(1, bytes(jwk, "e"));
      return JwsKey.rs256(RsaPublicKey.fromModulus(n, e));
    }
    if ("OKP".equals(kty) && "Ed25519".equals(text(jwk, "crv"))) {
      if (alg != null && !alg.equals("Ed25519")) {
        pin(alg, "EdDSA");
      }
      return JwsKey.eddsa(Ed25519PublicKey.fromBytes(bytes(jwk, "x")).using(ed25519));
    }
    throw new IllegalArgumentException("kty " + printable(String.valueOf(kty)) + " is not RSA or OKP Ed25519");
  }

  private static void pin(String alg, String only) {
    if (alg != null && !alg.equals(only)) {
      throw new IllegalArgumentException("alg " + printable(alg) + " is not accepted for this key type (" + only + ")");
    }
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.isTextual() && n.textValue().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String text(JsonNode jwk, String name) {
    JsonNode n = jwk.get(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException("member " + name + " is not a string");
    }
    return n.textValue();
  }

  private static byte[] bytes(JsonNode jwk, String name) {
    String v = text(jwk, name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("member " + name + " is missing");
    }
    try {
      return Base64Url.decode(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("member " + name + " is not base64url");
    }
  }

  private static String printable(String s) {
    String t = s.length() > 32 ? s.substring(0, 32) + "..." : s;
    return '"' + t.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }
}
