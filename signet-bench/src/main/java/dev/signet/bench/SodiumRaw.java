package dev.signet.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The bare {@code crypto_sign_verify_detached} of the libsodium build Signet bundles, bound here on
 * its own (Linux x86-64 and ARM64, where the benchmarks run), so that the baseline owes nothing to
 * Signet's provider code.
 */
final class SodiumRaw {
  private SodiumRaw() {}

  static native int crypto_sign_verify_detached(byte[] sig, byte[] m, long mlen, byte[] pk);

  static native int crypto_sign_detached(byte[] sig, com.sun.jna.Pointer siglen, byte[] m, long mlen, byte[] sk);

  static {
    String arch = System.getProperty("os.arch");
    String resource = arch.equals("aarch64") ? "arm64/libsodium.so" : "linux64/libsodium.so";
    try (InputStream in = SodiumRaw.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      Path file = Files.createTempFile("signet-bench-", "-libsodium.so");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      Native.register(SodiumRaw.class, NativeLibrary.getInstance(file.toString()));
      Files.delete(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
