/**
 * The WebSocket face: routes with {@code websocket: true} take upgrades verified as any request on
 * a route, open the upstream's WebSocket with the identity, relay frames both ways, and close
 * connections whose credential no longer stands.
 */
package dev.signet.server.websocket;
