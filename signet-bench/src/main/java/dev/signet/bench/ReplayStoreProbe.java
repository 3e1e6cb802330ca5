package dev.signet.bench;

import dev.signet.replay.InMemoryReplayStore;
import dev.signet.verify.VerificationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The in-memory replay store alone, near its capacity: ids arrive at the rate that keeps SHARE of
 * the capacity live over the 330 s acceptance window (window plus skew), on a simulated clock, for
 * 1,500 simulated seconds. Prints the ids held every 150 s and, after the first minute, the slowest
 * single call, the calls over 5 ms and the refusals. Run it with {@code -Xlog:gc} to tell the
 * store's own pauses from the collector's.
 *
 * <p>Usage: {@code java -Xmx6g -cp benchmarks.jar dev.signet.bench.ReplayStoreProbe CAPACITY SHARE}
 */
public final class ReplayStoreProbe {
  private static final long WINDOW_MILLIS = 330_000;
  private static final long START = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();

  private ReplayStoreProbe() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ReplayStoreProbe CAPACITY SHARE");
      System.exit(2);
    }
    int capacity = Integer.parseInt(args[0]);
    double share = Double.parseDouble(args[1]);
    SimulatedClock clock = new SimulatedClock();
    InMemoryReplayStore store = new InMemoryReplayStore(clock, capacity);
    int rate = (int) (share * capacity / (WINDOW_MILLIS / 1000.0));
    long slowest = 0;
    long over5ms = 0;
    long refused = 0;
    long n = 0;
    for (int second = 0; second < 1500; second++) {
      clock.millis = START + second * 1000L;
      Instant until = Instant.ofEpochMilli(clock.millis + WINDOW_MILLIS);
      for (int i = 0; i < rate; i++) {
        long t0 = System.nanoTime();
        try {
          if (!store.firstUse("id-" + n++, until)) {
            refused++;
          }
        } catch (VerificationException e) {
          refused++;
        }
        long took = System.nanoTime() - t0;
        if (second >= 60) {
          slowest = Math.max(slowest, took);
          over5ms += took > 5_000_000 ? 1 : 0;
        }
      }
      if (second % 150 == 0) {
        System.out.printf("t=%ds held %d (%.0f%% of the capacity)%n", second, store.size(), 100.0 * store.size() / capacity);
      }
    }
    System.out.printf("capacity %d, %d ids/s (%.0f%% of it live): refused %d, calls over 5 ms %d, slowest %.1f ms%n",
        capacity, rate, share * 100, refused, over5ms, slowest / 1e6);
  }

  private static final class SimulatedClock extends Clock {
    long millis;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }
}
