package dev.signet.bench;

import java.util.function.IntFunction;

/**
 * Distinct pre-signed tokens. A verifier with a replay store accepts each token once, so a
 * benchmark of full verification needs a new token per operation; the pool is refilled per trial
 * and its cursor reset per iteration (together with a fresh replay store).
 */
final class TokenPool {
  private final String[] tokens;
  private int next;

  TokenPool(int size, IntFunction<String> make) {
    tokens = new String[size];
    for (int i = 0; i < size; i++) {
      tokens[i] = make.apply(i);
    }
  }

  void rewind() {
    next = 0;
  }

  String next() {
    if (next == tokens.length) {
      throw new IllegalStateException("token pool exhausted: shorten the iteration time or grow the pool");
    }
    return tokens[next++];
  }

  String any() {
    return tokens[0];
  }
}
