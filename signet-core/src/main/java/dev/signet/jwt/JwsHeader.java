package dev.signet.jwt;

/** The header parameters Signet reads; others are ignored unless listed in {@code crit} (refused). */
public record JwsHeader(JwsAlgorithm algorithm, String type, String keyId) {}
