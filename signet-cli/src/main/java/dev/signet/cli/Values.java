package dev.signet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Option values: {@code @path} reads the file, {@code @-} reads stdin, anything else is literal. */
final class Values {
  private Values() {}

  static String text(String value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  /** As {@link #text}, without the trailing newline files and pipes usually end with. */
  static String trimmed(String value) {
    return value == null ? null : text(value).strip();
  }

  static byte[] bytes(String value) {
    if (value == null) {
      return new byte[0];
    }
    if (!value.startsWith("@")) {
      return value.getBytes(StandardCharsets.UTF_8);
    }
    String path = value.substring(1);
    try {
      if (path.equals("-")) {
        return System.in.readAllBytes();
      }
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
