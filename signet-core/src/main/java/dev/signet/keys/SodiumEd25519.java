package dev.signet.keys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * libsodium's Ed25519 ({@code crypto_sign_verify_detached}, {@code crypto_sign_detached}) through
 * JNA direct mapping. The library is the one {@code lazysodium-java} bundles for Linux, macOS and
 * Windows (x86-64 and ARM); only its native files are used, so no system package is needed.
 */
final class SodiumEd25519 extends Ed25519Provider {
  /** The direct-mapped functions; registered once, by {@link #load()}. */
  static final class Lib {
    private Lib() {}

    static native int sodium_init();

    static native String sodium_version_string();

    static native int crypto_sign_verify_detached(byte[] sig, byte[] m, long mlen, byte[] pk);

    static native int crypto_sign_detached(byte[] sig, Pointer siglen, byte[] m, long mlen, byte[] sk);
  }

  private final String version;

  private SodiumEd25519(String version) {
    this.version = version;
  }

  /** The loaded provider, or {@link UnavailableException} with the reason; tried once per process. */
  static SodiumEd25519 load() {
    Object result = Loaded.RESULT;
    if (result instanceof SodiumEd25519 s) {
      return s;
    }
    throw new UnavailableException((String) result);
  }

  private static final class Loaded {
    static final Object RESULT = tryLoad();
  }

  private static Object tryLoad() {
    String resource = resourceFor(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    if (resource == null) {
      return "libsodium is not bundled for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }
    try {
      Path file = extract(resource);
      try {
        Native.register(Lib.class, NativeLibrary.getInstance(file.toString()));
      } finally {
        // Unix keeps a loaded library mapped after its file is gone; elsewhere remove it at exit.
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          file.toFile().deleteOnExit();
        }
      }
      if (Lib.sodium_init() < 0) {
        return "libsodium failed to initialise";
      }
      SodiumEd25519 provider = new SodiumEd25519(Lib.sodium_version_string());
      if (!provider.passesSelfTest()) {
        return "libsodium " + provider.version + " failed its self-test";
      }
      return provider;
    } catch (IOException e) {
      return "libsodium could not be extracted: " + e.getMessage();
    } catch (LinkageError | RuntimeException e) {
      // UnsatisfiedLinkError (wrong libc, noexec temp dir), a JVM without JNA, a security manager.
      return "libsodium could not be loaded: " + e;
    }
  }

  static String resourceFor(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) {
      return x64 ? "linux64/libsodium.so" : arm64 ? "arm64/libsodium.so" : null;
    }
    if (os.startsWith("mac")) {
      return x64 ? "mac/libsodium.dylib" : arm64 ? "mac_arm/libsodium.dylib" : null;
    }
    if (os.startsWith("windows")) {
      return x64 ? "windows64/libsodium.dll" : null;
    }
    return null;
  }

  private static Path extract(String resource) throws IOException {
    try (InputStream in = SodiumEd25519.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is not on the classpath (lazysodium-java missing)");
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      Path file = Files.createTempFile("signet-", "-" + name);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    }
  }

  /** RFC 8032 section 7.1, test 2: the signature must verify and a changed one must not. */
  private boolean passesSelfTest() {
    HexFormat hex = HexFormat.of();
    byte[] pk = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    byte[] msg = {0x72};
    byte[] sig = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    byte[] seed = hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    byte[] bad = sig.clone();
    bad[10] ^= 1;
    return Lib.crypto_sign_verify_detached(sig, msg, 1, pk) == 0
        && Lib.crypto_sign_verify_detached(bad, msg, 1, pk) != 0
        && Arrays.equals(sign(seed, pk, msg, 0, 1), sig);
  }

  @Override
  public String id() {
    return "libsodium";
  }

  @Override
  public String description() {
    return "libsodium " + version + " (native, JNA)";
  }

  @Override
  boolean verifyScreened(Ed25519PublicKey key, byte[] signature, byte[] data, int offset, int length) {
    // libsodium reads the message from the array's start: copy only a slice that does not begin there.
    byte[] m = offset == 0 ? data : Arrays.copyOfRange(data, offset, offset + length);
    return Lib.crypto_sign_verify_detached(signature, m, length, key.encodedUnsafe()) == 0;
  }

  @Override
  byte[] sign(byte[] seed, byte[] publicKey, byte[] data, int offset, int length) {
    byte[] sk = new byte[64];
    System.arraycopy(seed, 0, sk, 0, 32);
    System.arraycopy(publicKey, 0, sk, 32, 32);
    byte[] m = offset == 0 ? data : Arrays.copyOfRange(data, offset, offset + length);
    byte[] sig = new byte[64];
    try {
      Lib.crypto_sign_detached(sig, null, m, length, sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
    return sig;
  }
}
