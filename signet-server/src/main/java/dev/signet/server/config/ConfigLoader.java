package dev.signet.server.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Defaults (the bundled {@code signet-defaults.yaml}), then the YAML file, then {@code SIGNET_*}
 * environment variables. Unknown keys and unknown {@code SIGNET_*} variables are errors: a typo
 * must not silently leave a default in force.
 */
public final class ConfigLoader {
  /** Mappings whose keys the user names (e.g. Graphene networks): merged whole, checked on binding. */
  private static final List<String> FREE_MAPS = List.of("graphene.networks", "verification.schemes", "service.issuers");
  /** Variables that are not configuration keys: the admin token, and the CLI's server URL. */
  private static final List<String> NOT_SETTINGS = List.of("SIGNET_ADMIN_TOKEN", "SIGNET_SERVER");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  public static ServerConfig load(Path file, Map<String, String> env) {
    String yaml = null;
    if (file != null) {
      try {
        yaml = Files.readString(file);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return parse(yaml, String.valueOf(file), env);
  }

  /**
   * As {@link #load}, from the file's text ({@code null}: no file); {@code origin} names it in
   * errors. Every bad input is a {@link ConfigException}.
   */
  public static ServerConfig parse(String yaml, String origin, Map<String, String> env) {
    ObjectNode tree = defaults();
    if (yaml != null) {
      JsonNode user;
      try {
        user = YAML.readTree(yaml);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + origin + ": " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (user != null && !user.isMissingNode() && !user.isNull()) {
        if (!user.isObject()) {
          throw new ConfigException(origin + ": the configuration must be a YAML mapping");
        }
        requireValues(user, "");
        merge(tree, (ObjectNode) user, "");
      }
    }
    applyEnvironment(tree, env);
    expandShortRateLimits(tree);
    ServerConfig config;
    try {
      config = YAML.treeToValue(tree, ServerConfig.class);
    } catch (IOException e) {
      String reason = e.getMessage().lines().findFirst().orElse("").replaceAll(" \\(set DeserializationConfig.*", "");
      throw new ConfigException("invalid configuration: " + reason);
    }
    config.validate();
    return config;
  }

  /**
   * The effective configuration as YAML, for {@code signet serve --print-config}: every setting with
   * its value after file, environment and flags, with secrets masked (passwords, and the password in
   * a URL's user info or a JDBC URL's {@code password=} parameter).
   */
  public static String describe(ServerConfig config) {
    ObjectNode tree = YAML.valueToTree(config);
    mask(tree);
    try {
      return YAML.writeValueAsString(tree).replaceFirst("^---\\s*\\n", "");
    } catch (IOException e) {
      throw new IllegalStateException("a configuration tree always writes", e);
    }
  }

  private static final java.util.regex.Pattern URL_PASSWORD = java.util.regex.Pattern.compile("(//[^/@:]*:)[^/@]*@");
  private static final java.util.regex.Pattern PARAM_PASSWORD = java.util.regex.Pattern.compile("(?i)(password=)[^&;]*");

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (v.isTextual() && name.matches("(?i).*(password|secret|token).*") && !v.textValue().isEmpty()) {
          o.put(name, "********");
        } else if (v.isTextual()) {
          o.put(name, maskText(v.textValue()));
        } else {
          mask(v);
        }
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(maskText(a.get(i).textValue())));
        } else {
          mask(a.get(i));
        }
      }
    }
  }

  private static String maskText(String s) {
    return PARAM_PASSWORD.matcher(URL_PASSWORD.matcher(s).replaceAll("$1********@")).replaceAll("$1********");
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/signet-defaults.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("bundled signet-defaults.yaml is missing", e);
    }
  }

  /**
   * A key written without a value ({@code type:}) is YAML's null, which no setting takes: refused
   * here by name, before it could reach a check as a missing value (found by ConfigFuzzTest).
   */
  private static void requireValues(JsonNode node, String path) {
    if (node.isNull()) {
      throw new ConfigException("setting " + (path.isEmpty() ? "(top level)" : path) + " has no value (write \"\" for empty)");
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> requireValues(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireValues(node.get(i), path + "[" + i + "]");
      }
    }
  }

  private static void merge(ObjectNode into, ObjectNode from, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + e.getKey();
      JsonNode current = into.get(e.getKey());
      if (current == null) {
        throw new ConfigException("unknown setting " + path);
      }
      if (FREE_MAPS.contains(path) && e.getValue().isObject()) {
        into.set(e.getKey(), e.getValue());
      } else if (current.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) current, (ObjectNode) e.getValue(), path + ".");
      } else if (current.isObject() != e.getValue().isObject()) {
        throw new ConfigException("setting " + path + (current.isObject() ? " must be a mapping" : " must not be a mapping"));
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
    TreeSet<String> unused = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith("SIGNET_") && !NOT_SETTINGS.contains(name)) {
        unused.add(name);
      }
    }
    for (String[] leaf : leaves(tree, new ArrayList<>())) {
      String name = "SIGNET_" + String.join("_", leaf).toUpperCase(Locale.ROOT);
      String value = env.get(name);
      if (value != null) {
        ObjectNode parent = tree;
        for (int i = 0; i < leaf.length - 1; i++) {
          parent = (ObjectNode) parent.get(leaf[i]);
        }
        if (parent.get(leaf[leaf.length - 1]).isArray()) {
          com.fasterxml.jackson.databind.node.ArrayNode list = parent.putArray(leaf[leaf.length - 1]);
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              list.add(item.strip());
            }
          }
        } else {
          parent.set(leaf[leaf.length - 1], TextNode.valueOf(value));
        }
        unused.remove(name);
      }
    }
    if (!unused.isEmpty()) {
      throw new ConfigException("unknown environment setting " + unused.first());
    }
  }

  private static final java.util.regex.Pattern SHORT_RATE_LIMIT =
      java.util.regex.Pattern.compile("([^:\\s]+):([a-z_]+):([0-9]{1,12})/([0-9]{1,6})(?::([0-9]{1,12}))?");

  /**
   * {@code rate_limits} entries may be written {@code name:key:rate/per_seconds[:burst]}, the
   * form {@code SIGNET_RATE_LIMITS} takes (comma-separated), e.g. {@code per-user:user:100/60:20}.
   */
  private static void expandShortRateLimits(ObjectNode tree) {
    JsonNode limits = tree.get("rate_limits");
    if (limits == null || !limits.isArray()) {
      return;
    }
    com.fasterxml.jackson.databind.node.ArrayNode list = (com.fasterxml.jackson.databind.node.ArrayNode) limits;
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        continue;
      }
      java.util.regex.Matcher m = SHORT_RATE_LIMIT.matcher(list.get(i).textValue());
      if (!m.matches()) {
        throw new ConfigException("rate_limits: '" + list.get(i).textValue() + "' is not name:key:rate/per_seconds[:burst]"
            + " (for example per-user:user:100/60:20)");
      }
      ObjectNode entry = list.objectNode().put("name", m.group(1)).put("key", m.group(2)).put("rate", Long.parseLong(m.group(3)))
          .put("per_seconds", Long.parseLong(m.group(4)));
      if (m.group(5) != null) {
        entry.put("burst", Long.parseLong(m.group(5)));
      }
      list.set(i, entry);
    }
  }

  private static List<String[]> leaves(ObjectNode node, List<String> path) {
    List<String[]> out = new ArrayList<>();
    node.fields().forEachRemaining(e -> {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      if (e.getValue().isObject()) {
        out.addAll(leaves((ObjectNode) e.getValue(), p));
      } else {
        out.add(p.toArray(new String[0]));
      }
    });
    return out;
  }
}
