package dev.signet.cli;

import dev.signet.codec.Hex;
import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.Keystore;
import dev.signet.keys.SigningKey;
import dev.signet.keys.X25519PrivateKey;
import dev.signet.keys.X25519PublicKey;
import dev.signet.pin.PinBlock;
import dev.signet.pin.PinCipher;
import dev.signet.pin.PinException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pin", mixinStandardHelpOptions = true, description = "Encrypt or decrypt a PIN block (seed 003 scheme).",
    subcommands = {PinCommand.Encrypt.class, PinCommand.Decrypt.class})
final class PinCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose encrypt or decrypt");
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = "Encrypt pin || time || iterator for the server's PIN token; prints base64url.")
  static final class Encrypt implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--pin", required = true, description = "6 digits, or hex bytes with --hex; or @file")
    String pin;

    @Option(names = "--hex", description = "the PIN is hex bytes (a TIP PIN, as newer SDKs send)")
    boolean hex;

    @Option(names = "--pin-token", description = "the server's X25519 PIN key (base64url, base64 or hex)")
    String pinToken;

    @Option(names = "--key", description = "the session's Ed25519 private key, or @file")
    String key;

    @Option(names = "--keystore", paramLabel = "FILE", description = "keystore JSON instead of --pin-token/--key")
    String keystore;

    @Option(names = "--iterator", required = true, description = "must grow with every PIN sent (unsigned 64-bit)")
    String iterator;

    @Option(names = "--time", description = "unix seconds (default: now)")
    Long time;

    @Override
    public void run() {
      Ed25519PrivateKey session;
      X25519PublicKey token;
      if (keystore != null) {
        Keystore ks = SignCommand.keystore(keystore);
        if (!(ks.key() instanceof Ed25519PrivateKey ed) || ks.pinToken() == null) {
          throw new IllegalArgumentException("keystore has no Ed25519 session key and PIN token");
        }
        session = ed;
        token = ks.pinToken();
      } else {
        SigningKey k = SigningKey.parse(Values.trimmed(SignCommand.require(spec, key, "--key")));
        if (!(k instanceof Ed25519PrivateKey ed)) {
          throw new IllegalArgumentException("PINs need an Ed25519 session key");
        }
        session = ed;
        token = X25519PublicKey.parse(SignCommand.require(spec, pinToken, "--pin-token"));
      }
      String p = Values.trimmed(pin);
      byte[] pinBytes = hex ? Hex.decode(p) : PinCipher.digits(p);
      long it = parseUnsigned(iterator);
      long t = time != null ? time : System.currentTimeMillis() / 1000;
      spec.commandLine().getOut().println(PinCipher.encrypt(pinBytes, t, it, session, token, new SecureRandom()));
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true,
      description = "Decrypt a PIN block with the server's PIN key; prints pin, time and iterator as JSON.")
  static final class Decrypt implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--pin-key", required = true,
        description = "the server's PIN key: X25519 private (32 bytes) or Ed25519 private (64 bytes or PEM); or @file")
    String pinKey;

    @Option(names = "--public-key", required = true, description = "the session's Ed25519 public key")
    String publicKey;

    @Parameters(index = "0", paramLabel = "CIPHERTEXT", description = "the encrypted PIN, or @file / @-")
    String ciphertext;

    @Override
    public void run() {
      try {
        PinBlock b = PinCipher.decrypt(Values.trimmed(ciphertext), pinKey(Values.trimmed(pinKey)), Ed25519PublicKey.parse(Values.trimmed(publicKey)));
        byte[] pin = b.pin();
        Map<String, Object> out = new LinkedHashMap<>();
        String ascii = new String(pin, StandardCharsets.US_ASCII);
        out.put("pin", ascii.matches("[0-9]+") ? ascii : Hex.encode(pin));
        out.put("pin_encoding", ascii.matches("[0-9]+") ? "ascii" : "hex");
        out.put("time", b.time());
        out.put("iterator", new BigInteger(Long.toUnsignedString(b.iterator())));
        spec.commandLine().getOut().println(Json.of(out));
      } catch (PinException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }

    /** 32 raw bytes are an X25519 scalar; a 64-byte or PEM key is an Ed25519 key, converted. */
    private static X25519PrivateKey pinKey(String text) {
      if (text.startsWith("-----BEGIN") || text.length() > 64) {
        return Ed25519PrivateKey.parse(text).toX25519();
      }
      return X25519PrivateKey.parse(text);
    }
  }

  static long parseUnsigned(String v) {
    try {
      return Long.parseUnsignedLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--iterator must be an unsigned 64-bit integer");
    }
  }
}
