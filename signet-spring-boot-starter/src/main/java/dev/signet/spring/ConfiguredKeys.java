package dev.signet.spring;

import dev.signet.jwt.JwsAlgorithm;
import dev.signet.jwt.JwsKey;
import dev.signet.keys.Ed25519Provider;
import dev.signet.spring.SignetProperties.KeyEntry;
import dev.signet.verify.KeyRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** {@code signet.keys} and {@code signet.keys-file} as a {@link KeyRegistry}; a bad entry stops the start, named. */
final class ConfiguredKeys {

  private ConfiguredKeys() {}

  static KeyRegistry load(SignetProperties props, Ed25519Provider ed25519) {
    List<KeyEntry> all = new ArrayList<>(props.keys());
    List<String> where = new ArrayList<>();
    for (int i = 0; i < props.keys().size(); i++) {
      where.add("signet.keys[" + i + "]");
    }
    if (props.keysFile() != null && !props.keysFile().isBlank()) {
      List<KeyEntry> fromFile = readFile(Path.of(props.keysFile()));
      for (int i = 0; i < fromFile.size(); i++) {
        where.add(props.keysFile() + ": keys[" + i + "]");
      }
      all.addAll(fromFile);
    }
    KeyRegistry.Builder b = KeyRegistry.builder();
    for (int i = 0; i < all.size(); i++) {
      try {
        add(b, all.get(i), ed25519);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where.get(i) + ": " + e.getMessage());
      }
    }
    return b.build();
  }

  /** The file's {@code keys:} list, bound by the same rules as {@code signet.keys}. */
  static List<KeyEntry> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("signet.keys-file: no such file " + file);
    }
    try {
      StandardEnvironment env = new StandardEnvironment();
      for (PropertySource<?> s : new YamlPropertySourceLoader().load("signet keys file", new FileSystemResource(file))) {
        env.getPropertySources().addLast(s);
      }
      return new Binder(ConfigurationPropertySources.get(env)).bind("keys", Bindable.listOf(KeyEntry.class)).orElse(List.of());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("signet.keys-file " + file + " is not a YAML file with a keys: list: " + e.getMessage());
    }
  }

  private static void add(KeyRegistry.Builder b, KeyEntry e, Ed25519Provider ed25519) {
    String scheme = e.scheme() == null ? "" : e.scheme();
    Set<String> scopes = e.scopes() == null || e.scopes().isEmpty() ? null : new HashSet<>(e.scopes());
    switch (scheme) {
      case "mixin-bot" -> b.bot(e.user(), e.session(), key(e, JwsAlgorithm.EdDSA, Set.of(JwsAlgorithm.EdDSA, JwsAlgorithm.RS512), ed25519), scopes);
      case "mixin-oauth" -> {
        if (scopes == null) {
          throw new IllegalArgumentException("an OAuth authorization needs its scopes");
        }
        b.oauth(e.issuer(), e.authorization(), e.user(), key(e, JwsAlgorithm.EdDSA, Set.of(JwsAlgorithm.EdDSA), ed25519), scopes);
      }
      case "service" -> b.service(e.issuer(), e.kid(), key(e, JwsAlgorithm.RS256, Set.of(JwsAlgorithm.RS256), ed25519));
      default -> throw new IllegalArgumentException("scheme must be mixin-bot, mixin-oauth or service, got '" + scheme + "'");
    }
  }

  private static JwsKey key(KeyEntry e, JwsAlgorithm byDefault, Set<JwsAlgorithm> allowed, Ed25519Provider ed25519) {
    JwsAlgorithm alg = e.algorithm() == null ? byDefault
        : allowed.stream().filter(a -> a.name().equals(e.algorithm().trim())).findFirst().orElse(null);
    if (alg == null) {
      throw new IllegalArgumentException("algorithm for " + e.scheme() + " must be one of " + allowed + ", got " + e.algorithm());
    }
    if (e.publicKey() == null || e.publicKey().isBlank()) {
      throw new IllegalArgumentException("public-key is required");
    }
    return JwsKey.parse(alg, e.publicKey()).using(ed25519);
  }
}
