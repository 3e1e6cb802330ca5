package dev.signet.verify;

import java.util.Optional;

/**
 * Finds the registered key a token names. Empty when there is none (or it was revoked); throws
 * {@link VerificationException} with {@link Failure#UNAVAILABLE} when the store cannot answer.
 */
@FunctionalInterface
public interface KeyResolver {
  Optional<RegisteredKey> resolve(KeyRef ref) throws VerificationException;
}
