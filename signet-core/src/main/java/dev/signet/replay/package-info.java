/**
 * Where a token's id is claimed once: the {@link dev.signet.replay.ReplayStore} contract, a bounded
 * in-memory store, and the Lua claim script every Redis-backed store runs (replay epoch included).
 */
package dev.signet.replay;
