package dev.signet.verify;

/**
 * Which key a token names: its owner and key id, read from the unverified claims.
 * Bot tokens: ({@code uid}, {@code sid}); OAuth: ({@code iss}, {@code aid}); service: ({@code iss}, {@code kid}).
 */
public record KeyRef(Scheme scheme, String owner, String keyId) {}
