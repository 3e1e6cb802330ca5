package dev.signet.server.websocket;

/** Why a relayed connection ended, as counted in {@code signet_websocket_closes_total{reason}}. */
enum CloseReason {
  CLIENT_CLOSED("client_closed"),
  UPSTREAM_CLOSED("upstream_closed"),
  CLIENT_GONE("client_gone"),
  UPSTREAM_GONE("upstream_gone"),
  REVOKED("revoked"),
  IDLE("idle"),
  MAX_LIFETIME("max_lifetime"),
  MESSAGE_TOO_BIG("message_too_big"),
  SHUTDOWN("shutdown");

  final String label;

  CloseReason(String label) {
    this.label = label;
  }
}
