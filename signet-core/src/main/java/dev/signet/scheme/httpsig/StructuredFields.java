package dev.signet.scheme.httpsig;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (Structured Field Values) that {@code Signature-Input}, {@code Signature}
 * and {@code Content-Digest} use: dictionaries of items or inner lists, with parameters; items are
 * integers, strings, tokens, byte sequences and booleans (decimals are refused: none of these
 * headers has one). Strict: anything else is an {@link IllegalArgumentException} naming the spot.
 */
final class StructuredFields {
  private StructuredFields() {}

  /** A bare item with its parameters (in the order received). */
  record Item(Object value, Map<String, Object> params) {}

  /** An inner list with its parameters. */
  record InnerList(List<Item> items, Map<String, Object> params) {}

  /** A token, kept apart from strings: they serialise differently. */
  record Token(String text) {}

  static Map<String, Object> dictionary(String text) {
    Parser p = new Parser(text);
    Map<String, Object> out = new LinkedHashMap<>();
    p.skipSpaces();
    if (p.done()) {
      return out;
    }
    while (true) {
      String key = p.key();
      Object member;
      if (p.peek() == '=') {
        p.pos++;
        member = p.peek() == '(' ? p.innerList() : new Item(p.bareItem(), p.params());
      } else {
        member = new Item(Boolean.TRUE, p.params());
      }
      if (out.put(key, member) != null) {
        throw new IllegalArgumentException("dictionary key " + key + " appears twice");
      }
      p.skipOws();
      if (p.done()) {
        return out;
      }
      p.expect(',');
      p.skipOws();
      if (p.done()) {
        throw new IllegalArgumentException("trailing comma");
      }
    }
  }

  /** RFC 8941 section 4.1 serialisation of an inner list: what {@code @signature-params} signs. */
  static String serialize(InnerList list) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < list.items().size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      Item it = list.items().get(i);
      b.append(bare(it.value()));
      params(b, it.params());
    }
    b.append(')');
    params(b, list.params());
    return b.toString();
  }

  private static void params(StringBuilder b, Map<String, Object> params) {
    params.forEach((k, v) -> {
      b.append(';').append(k);
      if (!Boolean.TRUE.equals(v)) {
        b.append('=').append(bare(v));
      }
    });
  }

  private static String bare(Object v) {
    if (v instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    } else if (v instanceof Long n) {
      return Long.toString(n);
    } else if (v instanceof Token t) {
      return t.text();
    } else if (v instanceof byte[] bytes) {
      return ':' + Base64.getEncoder().encodeToString(bytes) + ':';
    } else if (v instanceof Boolean bool) {
      return bool ? "?1" : "?0";
    }
    throw new IllegalStateException("not a bare item: " + v);
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    boolean done() {
      return pos >= s.length();
    }

    char peek() {
      return done() ? '\0' : s.charAt(pos);
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + pos);
      }
      pos++;
    }

    void skipSpaces() {
      while (peek() == ' ') {
        pos++;
      }
    }

    void skipOws() {
      while (peek() == ' ' || peek() == '\t') {
        pos++;
      }
    }

    String key() {
      char c = peek();
      if (!((c >= 'a' && c <= 'z') || c == '*')) {
        throw new IllegalArgumentException("a key starts with a lower-case letter or * at " + pos);
      }
      int start = pos;
      while (!done() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= '0' && peek() <= '9') || "_-.*".indexOf(peek()) >= 0)) {
        pos++;
      }
      return s.substring(start, pos);
    }

    InnerList innerList() {
      expect('(');
      List<Item> items = new ArrayList<>();
      while (true) {
        skipSpaces();
        if (peek() == ')') {
          pos++;
          return new InnerList(items, params());
        }
        items.add(new Item(bareItem(), params()));
        if (peek() != ' ' && peek() != ')') {
          throw new IllegalArgumentException("expected ' ' or ')' at " + pos);
        }
      }
    }

    Map<String, Object> params() {
      Map<String, Object> out = new LinkedHashMap<>();
      while (peek() == ';') {
        pos++;
        skipSpaces();
        String k = key();
        Object v = Boolean.TRUE;
        if (peek() == '=') {
          pos++;
          v = bareItem();
        }
        if (out.put(k, v) != null) {
          throw new IllegalArgumentException("parameter " + k + " appears twice");
        }
      }
      return out;
    }

    Object bareItem() {
      char c = peek();
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = pos;
        if (c == '-') {
          pos++;
        }
        while (peek() >= '0' && peek() <= '9') {
          pos++;
        }
        if (peek() == '.') {
          throw new IllegalArgumentException("decimals are not accepted at " + pos);
        }
        String digits = s.substring(start, pos);
        if (digits.equals("-") || digits.replace("-", "").length() > 15) {
          throw new IllegalArgumentException("bad integer at " + start);
        }
        return Long.parseLong(digits);
      }
      if (c == '"') {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
          if (done()) {
            throw new IllegalArgumentException("unterminated string");
          }
          char ch = s.charAt(pos++);
          if (ch == '\\') {
            char next = peek();
            if (next != '"' && next != '\\') {
              throw new IllegalArgumentException("bad escape at " + pos);
            }
            b.append(next);
            pos++;
          } else if (ch == '"') {
            return b.toString();
          } else if (ch < 0x20 || ch > 0x7e) {
            throw new IllegalArgumentException("strings are printable ASCII");
          } else {
            b.append(ch);
          }
        }
      }
      if (c == ':') {
        pos++;
        int end = s.indexOf(':', pos);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated byte sequence");
        }
        String b64 = s.substring(pos, end);
        pos = end + 1;
        if (!b64.matches("[A-Za-z0-9+/]*={0,2}")) {
          throw new IllegalArgumentException("a byte sequence is base64");
        }
        return Base64.getDecoder().decode(b64);
      }
      if (c == '?') {
        pos++;
        char v = peek();
        pos++;
        if (v == '1') {
          return Boolean.TRUE;
        } else if (v == '0') {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("bad boolean at " + pos);
      }
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*') {
        int start = pos;
        while (!done() && (Character.isLetterOrDigit(peek()) || ":/!#$%&'*+-.^_`|~".indexOf(peek()) >= 0) && peek() < 0x7f) {
          pos++;
        }
        return new Token(s.substring(start, pos));
      }
      throw new IllegalArgumentException("unexpected character at " + pos);
    }
  }
}
