package dev.signet.server.limits;

import dev.signet.verify.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused verifications counted per client address: past {@code abuse.max_refusals} within
 * {@code abuse.window_seconds}, the address's further requests are refused before any signature
 * work until its window ends, so a flood of forged tokens stops costing a verification each.
 * Cheap refusals (malformed, unknown key, expired) and expensive ones (bad signature) count alike;
 * refusals caused by the server's own state do not ({@link #counts}).
 * Memory is bounded: at most {@code maxAddresses} windows; when they are all in use and none has
 * ended, a new address is not counted (it is let through, as before this throttle existed).
 */
public final class RefusalThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalThrottle.class);

  /** One address's current window: its start and the refusals in it. */
  private record Window(long startMillis, int refusals) {}

  private final int maxRefusals;
  private final long windowMillis;
  private final int maxAddresses;
  private final Clock clock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicBoolean fullLogged = new AtomicBoolean();
  private final Counter throttled;

  /** @param maxRefusals 0: off */
  public RefusalThrottle(int maxRefusals, int windowSeconds, int maxAddresses, Clock clock, MeterRegistry registry) {
    this.maxRefusals = maxRefusals;
    this.windowMillis = windowSeconds * 1000L;
    this.maxAddresses = maxAddresses;
    this.clock = clock;
    this.throttled = Counter.builder("signet_throttled").description("Requests refused before verification: too many refusals from their address")
        .register(registry);
    Gauge.builder("signet_throttled_addresses", this, RefusalThrottle::blockedAddresses)
        .description("Client addresses whose requests are refused before verification now").register(registry);
  }

  /**
   * Seconds until {@code address} may be verified again, or 0 when it may be now. A positive answer
   * is counted as a throttled request.
   */
  public long retryAfterSeconds(String address) {
    if (maxRefusals == 0 || address == null) {
      return 0;
    }
    Window w = windows.get(address);
    long now = clock.millis();
    if (w == null || w.refusals() < maxRefusals || now - w.startMillis() >= windowMillis) {
      return 0;
    }
    throttled.increment();
    return Math.max(1, (w.startMillis() + windowMillis - now + 999) / 1000);
  }

  /**
   * Whether a refusal for {@code failure} counts against its sender: not the server's own outage
   * (503 {@code unavailable}), not a token refused {@code stale} after the server's restart or a new
   * replay epoch, and not {@code use_dpop_nonce} (a step of the DPoP protocol a client answers).
   */
  public static boolean counts(Failure failure) {
    return failure != Failure.UNAVAILABLE && failure != Failure.STALE && failure != Failure.DPOP_NONCE;
  }

  /** A verification from {@code address} was refused. */
  public void refused(String address) {
    if (maxRefusals == 0 || address == null) {
      return;
    }
    long now = clock.millis();
    if (!windows.containsKey(address) && windows.size() >= maxAddresses && !sweep(now)) {
      if (fullLogged.compareAndSet(false, true)) {
        LOG.warn("abuse: {} client addresses are being counted, the most kept; new ones are not counted until windows end", maxAddresses);
      }
      return;
    }
    windows.merge(address, new Window(now, 1), (old, one) -> now - old.startMillis() >= windowMillis
        ? one : new Window(old.startMillis(), old.refusals() + 1));
  }

  /** Drops the windows that have ended; whether any was dropped. */
  private boolean sweep(long now) {
    boolean dropped = windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
    if (dropped) {
      fullLogged.set(false);
    }
    return dropped;
  }

  /** Requests throttled since start, and addresses throttled now: for {@code /admin/stats}. */
  public java.util.Map<String, Long> snapshot() {
    return java.util.Map.of("throttled", (long) throttled.count(), "throttled_addresses", (long) blockedAddresses());
  }

  private double blockedAddresses() {
    long now = clock.millis();
    return windows.values().stream().filter(w -> w.refusals() >= maxRefusals && now - w.startMillis() < windowMillis).count();
  }

  /** Addresses counted now (for tests and the bound). */
  int size() {
    return windows.size();
  }
}
