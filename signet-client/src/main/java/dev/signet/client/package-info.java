/**
 * A signing HTTP client on {@code java.net.http}: a fresh token (or RFC 9421 signature) per
 * attempt, failover across servers, typed error envelopes, every credential kind of the seeds, and
 * PIN encryption with a persistent iterator.
 */
package dev.signet.client;
