package dev.signet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "admin", mixinStandardHelpOptions = true,
    description = {"Manage a running signet serve: users, sessions, PINs, OAuth authorizations, service keys, the audit log.",
        "Changes print the response's data as JSON; list and show print a table (--json: the data as JSON).",
        "Exit 1 with the server's error description when it refuses."},
    subcommands = {AdminCommand.User.class, AdminCommand.Session.class, AdminCommand.Pin.class, AdminCommand.OAuth.class,
        AdminCommand.ServiceKey.class, AdminReadCommands.Audit.class})
final class AdminCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--server", scope = ScopeType.INHERIT, defaultValue = "${env:SIGNET_SERVER:-http://127.0.0.1:8080}",
      description = "server URL (default: $SIGNET_SERVER or ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--admin-token", scope = ScopeType.INHERIT,
      description = "admin token, or @file (default: $SIGNET_ADMIN_TOKEN, else ./signet-data/admin.token)")
  String adminToken;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose user, session, pin, oauth, service-key or audit");
  }

  /** One admin call; prints the data, or fails with the server's description. */
  void call(CommandSpec sub, String method, String path, ObjectNode body) {
    sub.commandLine().getOut().println(fetch(method, path, body).toPrettyString());
  }

  /** One admin call: the answer's data, or an error with the server's description. */
  JsonNode fetch(String method, String path, ObjectNode body) {
    String token = token();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.replaceAll("/$", "") + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r;
    try {
      r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot reach " + server + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted");
    }
    JsonNode root;
    try {
      root = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalArgumentException("server answered HTTP " + r.statusCode() + " without JSON");
    }
    if (root == null || !root.has("data")) {
      throw new IllegalArgumentException("error " + r.statusCode() + ": " + (root == null ? "" : root.at("/error/description").asText()));
    }
    return root.get("data");
  }

  private String token() {
    if (adminToken != null) {
      return Values.trimmed(adminToken);
    }
    String env = System.getenv("SIGNET_ADMIN_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    Path file = Path.of("signet-data", "admin.token");
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("no admin token: give --admin-token, set SIGNET_ADMIN_TOKEN, or run where signet-data/admin.token is");
    }
  }

  static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Base for the leaf commands: finds the admin command for the shared options. */
  abstract static class Leaf implements Runnable {
    @Spec
    CommandSpec spec;

    AdminCommand admin() {
      CommandSpec s = spec;
      while (!(s.userObject() instanceof AdminCommand)) {
        s = s.parent();
      }
      return (AdminCommand) s.userObject();
    }
  }

  @Command(name = "user", mixinStandardHelpOptions = true, description = "Users.",
      subcommands = {User.Create.class, AdminReadCommands.UserList.class, AdminReadCommands.UserShow.class, AdminReadCommands.UserDelete.class})
  static final class User implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "choose create, list, show or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user (a new UUID unless --user-id).")
    static final class Create extends Leaf {
      @Option(names = "--user-id")
      String userId;

      @Option(names = "--name")
      String name;

      @Override
      public void run() {
        ObjectNode b = object();
        if (userId != null) {
          b.put("user_id", userId);
        }
        if (name != null) {
          b.put("name", name);
        }
        admin().call(spec, "POST", "/admin/users", b);
      }
    }
  }

  @Command(name = "session", mixinStandardHelpOptions = true, description = "Sessions (keys) of users.",
      subcommands = {Session.Create.class, AdminReadCommands.SessionList.class, Session.Delete.class})
  static final class Session implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "choose create, list or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Register a session key, or (without --public-key) have the server make one and return a keystore once.")
    static final class Create extends Leaf {
      @Option(names = "--user", required = true)
      String user;

      @Option(names = "--public-key", description = "Ed25519 or RSA public key, or @file")
      String publicKey;

      @Option(names = "--algorithm", description = "EdDSA (default) or RS512")
      String algorithm;

      @Option(names = "--scopes", description = "granted scopes, space-separated (default: unrestricted)")
      String scopes;

      @Override
      public void run() {
        ObjectNode b = object();
        if (publicKey != null) {
          b.put("public_key", Values.trimmed(publicKey));
        }
        if (algorithm != null) {
          b.put("algorithm", algorithm);
        }
        if (scopes != null) {
          Arrays.stream(scopes.trim().split("\\s+")).forEach(b.putArray("scopes")::add);
        }
        admin().call(spec, "POST", "/admin/users/" + seg(user) + "/sessions", b);
      }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revoke a session.")
    static final class Delete extends Leaf {
      @Parameters(index = "0", paramLabel = "SESSION_ID")
      String sessionId;

      @Override
      public void run() {
        admin().call(spec, "DELETE", "/admin/sessions/" + seg(sessionId), null);
      }
    }
  }

  @Command(name = "pin", mixinStandardHelpOptions = true, description = "PINs.", subcommands = Pin.Set.class)
  static final class Pin implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "choose set");
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a user's 6-digit PIN (stored as a slow hash only).")
    static final class Set extends Leaf {
      @Option(names = "--user", required = true)
      String user;

      @Option(names = "--pin", required = true, description = "6 digits, or @file / @-")
      String pin;

      @Override
      public void run() {
        admin().call(spec, "PUT", "/admin/users/" + seg(user) + "/pin", object().put("pin", Values.trimmed(pin)));
      }
    }
  }

  @Command(name = "oauth", mixinStandardHelpOptions = true, description = "OAuth authorizations.",
      subcommands = {OAuth.Create.class, AdminReadCommands.OAuthList.class, OAuth.Delete.class})
  static final class OAuth implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "choose create, list or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Authorize an app to act for a user with an Ed25519 key.")
    static final class Create extends Leaf {
      @Option(names = "--app-id", required = true)
      String appId;

      @Option(names = "--user", required = true)
      String user;

      @Option(names = "--public-key", required = true, description = "Ed25519 public key, or @file")
      String publicKey;

      @Option(names = "--scopes", required = true, description = "granted scopes, space-separated")
      String scopes;

      @Override
      public void run() {
        ObjectNode b = object().put("app_id", appId).put("user_id", user).put("public_key", Values.trimmed(publicKey));
        Arrays.stream(scopes.trim().split("\\s+")).forEach(b.putArray("scopes")::add);
        admin().call(spec, "POST", "/admin/oauth/authorizations", b);
      }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revoke an authorization.")
    static final class Delete extends Leaf {
      @Parameters(index = "0", paramLabel = "AUTHORIZATION_ID")
      String id;

      @Override
      public void run() {
        admin().call(spec, "DELETE", "/admin/oauth/authorizations/" + seg(id), null);
      }
    }
  }

  @Command(name = "service-key", mixinStandardHelpOptions = true, description = "Service-account keys (RS256).",
      subcommands = {ServiceKey.Create.class, AdminReadCommands.ServiceKeyList.class, ServiceKey.Delete.class})
  static final class ServiceKey implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "choose create, list or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Register an issuer's RSA public key under a kid.")
    static final class Create extends Leaf {
      @Option(names = "--issuer", required = true)
      String issuer;

      @Option(names = "--kid", required = true)
      String kid;

      @Option(names = "--public-key", required = true, description = "RSA public key PEM, or @file")
      String publicKey;

      @Override
      public void run() {
        admin().call(spec, "POST", "/admin/service-keys",
            object().put("issuer", issuer).put("kid", kid).put("public_key", Values.trimmed(publicKey)));
      }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revoke an issuer's key.")
    static final class Delete extends Leaf {
      @Option(names = "--issuer", required = true)
      String issuer;

      @Option(names = "--kid", required = true)
      String kid;

      @Override
      public void run() {
        admin().call(spec, "DELETE", "/admin/service-keys/" + seg(issuer) + "/" + seg(kid), null);
      }
    }
  }
}
