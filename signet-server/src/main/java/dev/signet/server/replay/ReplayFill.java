package dev.signet.server.replay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warns once when the in-memory replay store passes 80% full, and again after it fell below 70%. */
final class ReplayFill {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayFill.class);
  private boolean warned;

  void check(int size, int capacity) {
    if (!warned && size >= capacity * 0.8) {
      warned = true;
      LOG.warn("replay store {}% full ({} of {} token ids): at 100% new tokens get 503; raise replay.capacity "
          + "or the heap (-Xmx), or shorten verification.acceptance_window", size * 100L / capacity, size, capacity);
    } else if (warned && size < capacity * 0.7) {
      warned = false;
      LOG.info("replay store back under 70% full ({} of {} token ids)", size, capacity);
    }
  }
}
