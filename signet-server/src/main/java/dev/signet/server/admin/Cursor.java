package dev.signet.server.admin;

import dev.signet.codec.Base64Url;
import dev.signet.server.http.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin API's page cursors: opaque to clients (base64url), naming the listing they belong to
 * and the last key of the page before, so a cursor of one listing is refused by another.
 */
final class Cursor {
  private Cursor() {}

  static String encode(String listing, String... key) {
    return Base64Url.encode((listing + "\n" + String.join("\n", key)).getBytes(StandardCharsets.UTF_8));
  }

  /** The key parts of a cursor of {@code listing} with {@code parts} parts, or a 400. */
  static List<String> decode(String listing, String text, int parts) {
    try {
      String decoded = new String(Base64Url.decode(text), StandardCharsets.UTF_8);
      List<String> fields = List.of(decoded.split("\n", -1));
      if (fields.size() == parts + 1 && fields.get(0).equals(listing) && fields.stream().noneMatch(String::isEmpty)) {
        return fields.subList(1, fields.size());
      }
    } catch (IllegalArgumentException e) {
      // not base64url: refused below
    }
    throw ApiError.badRequest("cursor is not one this server gave for " + listing);
  }

  /** {@code limit}: 1-500, default 100. */
  static int limit(String text) {
    if (text == null) {
      return 100;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 500) {
      throw ApiError.badRequest("limit must be 1-500");
    }
    return limit;
  }
}
