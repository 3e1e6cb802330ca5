package dev.signet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code signet admin ... list|show}: the admin API's read side, as a table or (--json) as the data. */
final class AdminReadCommands {
  private AdminReadCommands() {}

  /** A read command: --json, and for listings --limit and --cursor. */
  abstract static class Read extends AdminCommand.Leaf {
    @Option(names = "--json", description = "print the server's data as JSON (for scripts)")
    boolean json;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Fetches a listing page and prints its {@code field} as a table, with the cursor of the next page if any. */
    void list(String path, String field, Page page, List<Column> columns) {
      JsonNode data = admin().fetch("GET", path + page.query(path.contains("?")), null);
      if (json) {
        out().println(data.toPrettyString());
        return;
      }
      Table.print(out(), columns, data.get(field));
      if (!data.get("next_cursor").isNull()) {
        out().println("(more: --cursor " + data.get("next_cursor").asText() + ")");
      }
    }
  }

  /** A listing's paging options. */
  static final class Page {
    @Option(names = "--limit", description = "rows per page, 1-500 (default 100)")
    Integer limit;

    @Option(names = "--cursor", description = "the page after the one that printed this cursor")
    String cursor;

    String query(boolean hasQuery) {
      List<String> parts = new ArrayList<>();
      if (limit != null) {
        parts.add("limit=" + limit);
      }
      if (cursor != null) {
        parts.add("cursor=" + AdminCommand.seg(cursor));
      }
      return parts.isEmpty() ? "" : (hasQuery ? "&" : "?") + String.join("&", parts);
    }
  }

  record Column(String title, Function<JsonNode, String> value) {
    static Column of(String title, String field) {
      return new Column(title, n -> text(n.get(field)));
    }

    static Column time(String title, String field) {
      return new Column(title, n -> n.get(field) == null || n.get(field).isNull() ? "-" : Instant.ofEpochSecond(n.get(field).asLong()).toString());
    }
  }

  static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return "-";
    }
    if (n.isArray()) {
      List<String> items = new ArrayList<>();
      n.forEach(i -> items.add(i.asText()));
      return String.join(" ", items);
    }
    return n.asText();
  }

  static String query(String... pairs) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        parts.add(pairs[i] + "=" + AdminCommand.seg(pairs[i + 1]));
      }
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users (in user id order).")
  static final class UserList extends Read {
    @Option(names = "--name-prefix", description = "only users whose name starts with this")
    String prefix;

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Page page = new Page();

    @Override
    public void run() {
      list("/admin/users" + query("name_prefix", prefix), "users", page, List.of(Column.of("USER_ID", "user_id"), Column.of("NAME", "name"),
          Column.of("SESSIONS", "session_count"), Column.time("CREATED", "created_at")));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a user and its sessions.")
  static final class UserShow extends Read {
    @Parameters(index = "0", paramLabel = "USER_ID")
    String userId;

    @Override
    public void run() {
      JsonNode u = admin().fetch("GET", "/admin/users/" + AdminCommand.seg(userId), null);
      if (json) {
        out().println(u.toPrettyString());
        return;
      }
      out().println("user_id:  " + text(u.get("user_id")));
      out().println("name:     " + text(u.get("name")));
      out().println("created:  " + Column.time("", "created_at").value().apply(u));
      out().println("pin:      " + (u.get("has_pin").asBoolean() ? "set" : "not set"));
      out().println("sessions: " + u.get("sessions").size());
      if (u.get("sessions").size() > 0) {
        Table.print(out(), sessionColumns(), u.get("sessions"));
      }
    }
  }

  static List<Column> sessionColumns() {
    return List.of(Column.of("SESSION_ID", "session_id"), Column.of("ALGORITHM", "algorithm"),
        new Column("SCOPES", n -> n.get("scopes").isNull() ? "(any)" : text(n.get("scopes"))),
        Column.time("CREATED", "created_at"), Column.time("LAST_USED", "last_used_at"));
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a user with all its sessions, OAuth authorizations and PIN (its tokens are refused at once).")
  static final class UserDelete extends AdminCommand.Leaf {
    @Parameters(index = "0", paramLabel = "USER_ID")
    String userId;

    @Override
    public void run() {
      admin().call(spec, "DELETE", "/admin/users/" + AdminCommand.seg(userId), null);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a user's sessions.")
  static final class SessionList extends Read {
    @Option(names = "--user", required = true)
    String user;

    @Override
    public void run() {
      JsonNode u = admin().fetch("GET", "/admin/users/" + AdminCommand.seg(user), null);
      if (json) {
        out().println(u.get("sessions").toPrettyString());
      } else {
        Table.print(out(), sessionColumns(), u.get("sessions"));
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List OAuth authorizations.")
  static final class OAuthList extends Read {
    @Option(names = "--user", description = "only this user's")
    String user;

    @Option(names = "--app-id", description = "only this app's")
    String appId;

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Page page = new Page();

    @Override
    public void run() {
      list("/admin/oauth/authorizations" + query("user_id", user, "app_id", appId), "authorizations", page,
          List.of(Column.of("AUTHORIZATION_ID", "authorization_id"), Column.of("APP_ID", "app_id"), Column.of("USER_ID", "user_id"),
              Column.of("SCOPES", "scopes"), Column.time("CREATED", "created_at")));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List service-account keys.")
  static final class ServiceKeyList extends Read {
    @picocli.CommandLine.ArgGroup(exclusive = false)
    Page page = new Page();

    @Override
    public void run() {
      list("/admin/service-keys", "service_keys", page, List.of(Column.of("ISSUER", "issuer"), Column.of("KID", "kid"),
          new Column("KEY", n -> fingerprint(n.get("public_key").asText())), Column.time("CREATED", "created_at")));
    }

    /** The key's SHA-256 over its PEM text, short: enough to tell keys apart in a table. */
    static String fingerprint(String pem) {
      try {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return "sha256:" + dev.signet.codec.Hex.encode(d).substring(0, 16);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = "The audit log of admin changes, newest first.")
  static final class Audit extends Read {
    @picocli.CommandLine.ArgGroup(exclusive = false)
    Page page = new Page();

    @Override
    public void run() {
      list("/admin/audit", "entries", page, List.of(Column.time("AT", "at"), Column.of("ACTION", "action"), Column.of("TARGET", "target"),
          Column.of("ACTOR", "actor"), Column.of("ADDRESS", "address"), Column.of("DETAIL", "detail")));
    }
  }
}
