package dev.signet.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import java.nio.charset.StandardCharsets;

/**
 * A strict compact JWS (RFC 7515) reader. It refuses, before any key is looked at: oversized
 * input, anything but three non-empty dot-separated parts, non-canonical or padded base64url,
 * whitespace, a header that is not a JSON object or has duplicate keys or trailing data, an
 * algorithm other than EdDSA/RS256/RS512, a {@code typ} other than JWT, and any {@code crit}.
 */
public final class CompactJws {
  private CompactJws() {}

  public static ParsedJws parse(String token, int maxLength) throws VerificationException {
    if (token == null || token.isEmpty()) {
      throw malformed("empty token");
    }
    if (token.length() > maxLength) {
      throw malformed("token longer than " + maxLength + " characters");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw malformed("a compact JWS has exactly three parts");
    }
    if (dot1 == 0 || dot2 == dot1 + 1 || dot2 == token.length() - 1) {
      throw malformed("empty JWS part");
    }
    byte[] headerJson = decode(token, 0, dot1, "header");
    JwsHeader header = header(headerJson);
    byte[] payload = decode(token, dot1 + 1, dot2, "payload");
    byte[] signature = decode(token, dot2 + 1, token.length(), "signature");
    // Every character is base64url or '.', so ISO-8859-1 gives the ASCII signing input directly.
    byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1);
    return new ParsedJws(header, payload, ascii, dot2, signature);
  }

  private static JwsHeader header(byte[] json) throws VerificationException {
    ObjectNode h;
    try {
      h = StrictJson.parseObject(json);
    } catch (IllegalArgumentException e) {
      throw malformed("header: " + e.getMessage());
    }
    JsonNode alg = h.get("alg");
    if (alg == null || !alg.isTextual()) {
      throw malformed("header has no alg");
    }
    JwsAlgorithm algorithm = JwsAlgorithm.fromHeader(alg.textValue()).orElseThrow(() ->
        new VerificationException(Failure.ALGORITHM, "algorithm " + printable(alg.textValue()) + " is not accepted"));
    if (h.has("crit")) {
      throw new VerificationException(Failure.MALFORMED, "header crit lists extensions this verifier does not understand");
    }
    String typ = optionalText(h, "typ");
    if (typ != null && !typ.equalsIgnoreCase("JWT")) {
      throw malformed("header typ must be JWT");
    }
    return new JwsHeader(algorithm, typ, optionalText(h, "kid"));
  }

  private static String optionalText(ObjectNode h, String name) throws VerificationException {
    JsonNode n = h.get(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw malformed("header " + name + " must be a string");
    }
    return n.textValue();
  }

  private static byte[] decode(String token, int from, int to, String part) throws VerificationException {
    try {
      return Base64Url.decode(token, from, to);
    } catch (IllegalArgumentException e) {
      throw malformed(part + " is not canonical base64url");
    }
  }

  /** Header values go into error messages; keep them short and printable. */
  private static String printable(String s) {
    String t = s.length() > 16 ? s.substring(0, 16) + "..." : s;
    return '"' + t.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }

  private static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED, detail);
  }
}
