package dev.signet.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Releases several calls at the same instant, for tests of steps that must have exactly one winner. */
public final class Race {
  /** One racer's call; {@code index} tells the racers apart. */
  @FunctionalInterface
  public interface Racer<T> {
    T run(int index) throws Exception;
  }

  private Race() {}

  /** Runs {@code racers} calls on as many threads, all released together; their results in order. */
  public static <T> List<T> run(int racers, Racer<T> racer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> fs = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        int index = i;
        fs.add(pool.submit(() -> {
          go.await();
          return racer.run(index);
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : fs) {
        results.add(f.get(10, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many of the racers' calls answered true. */
  public static long winners(int racers, Racer<Boolean> racer) throws Exception {
    return run(racers, racer).stream().filter(Boolean::booleanValue).count();
  }
}
