/**
 * Limits that protect the gate itself: the refusal throttle (addresses whose verifications keep
 * failing are refused before any signature work).
 */
package dev.signet.server.limits;
