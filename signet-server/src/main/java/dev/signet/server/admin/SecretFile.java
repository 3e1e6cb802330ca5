package dev.signet.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/** A secret kept in the data directory: read if present, else created with mode 600 from {@code make}. */
public final class SecretFile {
  /** The secret, and whether this call created it. */
  public record Secret(String value, boolean created) {}

  private SecretFile() {}

  public static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public static Secret readOrCreate(Path file, Supplier<String> make) {
    try {
      if (Files.exists(file)) {
        return new Secret(Files.readString(file).strip(), false);
      }
      String value = make.get();
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        return new Secret(Files.readString(file).strip(), false);
      }
      Files.writeString(file, value + "\n");
      return new Secret(value, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
