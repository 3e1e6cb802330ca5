package dev.signet.cli;

import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.Secp256k1PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Generate a key pair; prints the private key (that is its job).",
    subcommands = {KeygenCommand.Ed25519.class, KeygenCommand.Rsa.class, KeygenCommand.Graphene.class})
final class KeygenCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose ed25519, rsa or graphene");
  }

  static void print(CommandSpec spec, boolean json, Map<String, String> values) {
    if (json) {
      spec.commandLine().getOut().println(Json.of(values));
    } else {
      values.forEach((k, v) -> spec.commandLine().getOut().println(k + ": " + v));
    }
  }

  @Command(name = "ed25519", mixinStandardHelpOptions = true,
      description = "Ed25519 key pair: private key as base64url of 64 bytes (seed then public key), public key as base64url.")
  static final class Ed25519 implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public void run() {
      Ed25519PrivateKey k = Ed25519PrivateKey.generate(new SecureRandom());
      Map<String, String> out = new LinkedHashMap<>();
      out.put("private_key", k.toBase64Url());
      out.put("public_key", k.publicKey().toBase64Url());
      print(spec, json, out);
    }
  }

  @Command(name = "rsa", mixinStandardHelpOptions = true,
      description = "RSA key pair: PKCS#1 private PEM and X.509 public PEM, printed or written to PREFIX.key and PREFIX.pub.")
  static final class Rsa implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--bits", defaultValue = "2048", description = "modulus size, at least 2048 (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--out", paramLabel = "PREFIX", description = "write PREFIX.key (mode 600) and PREFIX.pub instead of printing")
    String out;

    @Override
    public void run() {
      RsaPrivateKey k = RsaPrivateKey.generate(bits, new SecureRandom());
      if (out == null) {
        spec.commandLine().getOut().print(k.toPkcs1Pem());
        spec.commandLine().getOut().print(k.publicKey().toX509Pem());
        spec.commandLine().getOut().flush();
        return;
      }
      try {
        Path priv = Path.of(out + ".key");
        Files.deleteIfExists(priv);
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, k.toPkcs1Pem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(Path.of(out + ".pub"), k.publicKey().toX509Pem(), StandardCharsets.US_ASCII);
        spec.commandLine().getOut().println("wrote " + priv + " and " + out + ".pub");
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot write key files: " + e.getMessage());
      }
    }
  }

  @Command(name = "graphene", mixinStandardHelpOptions = true,
      description = "secp256k1 key pair for Graphene chains: WIF private key and prefixed public key.")
  static final class Graphene implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--prefix", defaultValue = "STM", description = "public key prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public void run() {
      Secp256k1PrivateKey k = Secp256k1PrivateKey.generate(new SecureRandom());
      Map<String, String> out = new LinkedHashMap<>();
      out.put("wif", k.toWif());
      out.put("public_key", k.publicKey().toGraphene(prefix));
      print(spec, json, out);
    }
  }
}
