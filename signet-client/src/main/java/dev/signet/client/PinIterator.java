package dev.signet.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/** The PIN iterator: every value handed out is strictly greater (unsigned) than all before it. */
@FunctionalInterface
public interface PinIterator {
  long next();

  /**
   * An iterator kept in a small state file, so that it keeps growing across restarts and across
   * client instances (or processes) sharing the file. Values follow a nanosecond clock, as the newer
   * SDKs' do, and never repeat even when the clock does.
   */
  static PinIterator stateFile(Path file, Clock clock) {
    return new FileIterator(file, clock);
  }

  /**
   * Without a state file: the nanosecond clock, kept growing within this process. It grows across
   * restarts only as long as the clock does; {@link #stateFile} does not depend on that.
   */
  static PinIterator clock(Clock clock) {
    java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
    return () -> last.updateAndGet(prev -> after(prev, clock));
  }

  /** The next value after {@code last}: the nanosecond clock, or {@code last + 1} if the clock is not past it. */
  private static long after(long last, Clock clock) {
    Instant now = clock.instant();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long next = Long.compareUnsigned(nanos, last) > 0 ? nanos : last + 1;
    if (next == 0) {
      throw new IllegalStateException("PIN iterator exhausted");
    }
    return next;
  }

  /** The caller supplies the values and answers for their growth. */
  static PinIterator of(java.util.function.LongSupplier supplier) {
    return supplier::getAsLong;
  }

  /** See {@link #stateFile}. Writes go to a temporary file that replaces the state atomically. */
  final class FileIterator implements PinIterator {
    private final Path file;
    private final Path lockFile;
    private final Clock clock;

    FileIterator(Path file, Clock clock) {
      this.file = file.toAbsolutePath();
      this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
      this.clock = clock;
    }

    @Override
    public synchronized long next() {
      try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = lockChannel.lock()) {
        long next = after(read(), clock);
        write(next);
        return next;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update PIN iterator state " + file, e);
      }
    }

    private long read() throws IOException {
      if (!Files.exists(file)) {
        return 0;
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      try {
        return Long.parseUnsignedLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("PIN iterator state " + file + " is corrupt; refusing to guess a value");
      }
    }

    private void write(long value) throws IOException {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap((Long.toUnsignedString(value) + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
