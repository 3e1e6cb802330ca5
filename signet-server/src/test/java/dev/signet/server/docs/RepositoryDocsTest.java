package dev.signet.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs keep up with the code: every key of the defaults file is on {@code docs/configuration.md},
 * and every public type of the library modules has its class comment, every package its
 * {@code package-info.java} (the build's javadoc run fails on comments that do not parse).
 */
class RepositoryDocsTest {
  /** Tests run in the module's directory; the repository is its parent. */
  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final List<String> LIBRARIES = List.of("signet-core", "signet-client", "signet-servlet", "signet-spring-boot-starter");
  static final Pattern PUBLIC_TYPE = Pattern.compile("^public (?:(?:final|abstract|sealed|non-sealed) )*(?:class|interface|record|enum|@interface) ",
      Pattern.MULTILINE);

  @Test
  void everyDefaultsKeyIsDocumented() throws IOException {
    JsonNode defaults;
    try (InputStream in = RepositoryDocsTest.class.getResourceAsStream("/signet-defaults.yaml")) {
      defaults = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    List<String> keys = new ArrayList<>();
    leaves(defaults, "", keys);
    assertThat(keys).hasSizeGreaterThan(40).contains("verification.schemes.service.reuse", "graphene.networks.hive.rpc", "routes");
    String page = Files.readString(REPO.resolve("docs/configuration.md"));
    assertThat(keys.stream().filter(k -> !page.contains("`" + k + "`")).toList()).as("keys missing from docs/configuration.md").isEmpty();
  }

  @Test
  void everyPublicLibraryTypeHasAClassCommentAndEveryPackageAPackageInfo() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String module : LIBRARIES) {
      try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (f.getFileName().toString().equals("package-info.java")) {
            continue;
          }
          if (!Files.exists(f.resolveSibling("package-info.java"))) {
            missing.add(REPO.relativize(f.getParent()) + ": no package-info.java");
          }
          String source = Files.readString(f);
          Matcher m = PUBLIC_TYPE.matcher(source);
          if (m.find() && !commented(source.substring(0, m.start()))) {
            missing.add(REPO.relativize(f) + ": no class comment");
          }
        }
      }
    }
    assertThat(missing.stream().distinct().toList()).isEmpty();
  }

  /** Whether the text before a type's declaration ends in a doc comment, annotations and line comments aside. */
  static boolean commented(String before) {
    List<String> lines = before.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("@") || line.startsWith("//") || Character.isWhitespace(line.charAt(0))
          && !line.strip().startsWith("*")) {
        continue;  // an annotation, its continuation lines, or a comment for maintainers
      }
      return line.strip().endsWith("*/") && before.substring(0, before.lastIndexOf("*/")).contains("/**");
    }
    return false;
  }

  static void leaves(JsonNode node, String path, List<String> out) {
    if (node.isObject() && node.size() > 0) {
      node.fields().forEachRemaining(e -> leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else {
      out.add(path);
    }
  }
}
