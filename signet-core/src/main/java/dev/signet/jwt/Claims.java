package dev.signet.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.json.StrictJson;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A token's claims, read strictly: typed getters refuse a claim of the wrong JSON type. */
public final class Claims {
  private final ObjectNode json;

  private Claims(ObjectNode json) {
    this.json = json;
  }

  public static Claims parse(byte[] payload) throws VerificationException {
    try {
      return new Claims(StrictJson.parseObject(payload));
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Failure.MALFORMED, "claims: " + e.getMessage());
    }
  }

  public boolean has(String name) {
    JsonNode n = json.get(name);
    return n != null && !n.isNull();
  }

  /** A required non-empty string claim. */
  public String string(String name) throws VerificationException {
    String v = optionalString(name);
    if (v == null || v.isEmpty()) {
      throw new VerificationException(Failure.MALFORMED, "missing claim " + name);
    }
    return v;
  }

  /** A string claim, or null when absent. */
  public String optionalString(String name) throws VerificationException {
    JsonNode n = json.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new VerificationException(Failure.MALFORMED, "claim " + name + " must be a string");
    }
    return n.textValue();
  }

  /** A required NumericDate, in whole seconds (fractions are refused: no signer here makes them). */
  public long numericDate(String name) throws VerificationException {
    JsonNode n = json.get(name);
    if (n == null || n.isNull()) {
      throw new VerificationException(Failure.MALFORMED, "missing claim " + name);
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new VerificationException(Failure.MALFORMED, "claim " + name + " must be an integer NumericDate");
    }
    long v = n.longValue();
    if (v < 0 || v > 253402300799L) {
      throw new VerificationException(Failure.MALFORMED, "claim " + name + " is out of range");
    }
    return v;
  }

  /** {@code aud} as a list: it may be one string or an array of strings (RFC 7519 section 4.1.3). */
  public List<String> audience() throws VerificationException {
    JsonNode n = json.get("aud");
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isTextual()) {
      out.add(n.textValue());
      return out;
    }
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          throw new VerificationException(Failure.MALFORMED, "claim aud must hold strings");
        }
        out.add(e.textValue());
      }
      return out;
    }
    throw new VerificationException(Failure.MALFORMED, "claim aud must be a string or an array");
  }

  /** All claims as plain Java values, for display (e.g. {@code signet decode}). */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = json.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), StrictJson.mapper().convertValue(e.getValue(), Object.class));
    }
    return out;
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
