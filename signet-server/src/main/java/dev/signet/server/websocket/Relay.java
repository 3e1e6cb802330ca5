package dev.signet.server.websocket;

import dev.signet.verify.Principal;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

/**
 * One client connection and its upstream, relayed frame by frame both ways (text, binary,
 * fragments, ping, pong; a close with its code and reason). A side that cannot take more pauses
 * the other until it drains, so memory per connection stays bounded by the write queues. Both
 * sockets live on one event loop; everything here runs on it.
 */
final class Relay {
  private final WebSocketBase client;
  private final WebSocketBase upstream;
  private final Principal principal;
  private final Context context;
  private final long openedAtMillis;
  private final int maxMessageBytes;
  private final WebSocketMetrics metrics;
  private final Promise<CloseReason> ended;
  private CloseReason reason;

  Relay(WebSocketBase client, WebSocketBase upstream, Principal principal, Context context, long openedAtMillis, int maxMessageBytes,
      WebSocketMetrics metrics, Promise<CloseReason> ended) {
    this.client = client;
    this.upstream = upstream;
    this.principal = principal;
    this.context = context;
    this.openedAtMillis = openedAtMillis;
    this.maxMessageBytes = maxMessageBytes;
    this.metrics = metrics;
    this.ended = ended;
  }

  Principal principal() {
    return principal;
  }

  long openedAtMillis() {
    return openedAtMillis;
  }

  void start() {
    metrics.opened(principal.scheme());
    pipe(client, upstream, true);
    pipe(upstream, client, false);
  }

  /** Closes both sides with {@code code} and {@code reason} (from any thread); a no-op once closing. */
  void close(short code, String text, CloseReason why) {
    context.runOnContext(v -> closeBoth(code, text, why));
  }

  private void pipe(WebSocketBase from, WebSocketBase to, boolean up) {
    long[] messageBytes = {0};
    from.frameHandler(frame -> {
      if (reason != null) {
        return;
      }
      if (frame.type() == WebSocketFrameType.CLOSE) {
        closedBy(up, frame);
        return;
      }
      int length = frame.binaryData().length();
      if (frame.isText() || frame.isBinary()) {
        messageBytes[0] = 0;
      }
      if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
        messageBytes[0] += length;
        if (messageBytes[0] > maxMessageBytes) {
          closeBoth((short) 1009, "message larger than " + maxMessageBytes + " bytes", CloseReason.MESSAGE_TOO_BIG);
          return;
        }
      }
      to.writeFrame(frame);
      metrics.relayed(up, length);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(d -> from.resume());
      }
    });
    from.closeHandler(v -> {
      if (reason == null) {
        // Gone without a close frame: the other side is told the peer went away.
        closeBoth((short) 1001, (up ? "client" : "upstream") + " went away", up ? CloseReason.CLIENT_GONE : CloseReason.UPSTREAM_GONE);
      }
      if (client.isClosed() && upstream.isClosed()) {
        ended.tryComplete(reason);
      }
    });
    from.exceptionHandler(e -> { });
  }

  /** One side sent a close frame: Vert.x answers it; the other side gets the same code and reason. */
  private void closedBy(boolean up, WebSocketFrame frame) {
    reason = up ? CloseReason.CLIENT_CLOSED : CloseReason.UPSTREAM_CLOSED;
    metrics.closed(principal.scheme(), reason);
    short code = (short) frame.closeStatusCode();
    WebSocketBase other = up ? upstream : client;
    // 1005 (no code) and the codes a frame may not carry are passed on as a plain normal close.
    if (code < 1000 || code == 1005 || code == 1006 || code == 1015) {
      other.close();
    } else {
      other.close(code, frame.closeReason());
    }
  }

  private void closeBoth(short code, String text, CloseReason why) {
    if (reason != null) {
      return;
    }
    reason = why;
    metrics.closed(principal.scheme(), why);
    if (!client.isClosed()) {
      client.close(code, text);
    }
    if (!upstream.isClosed()) {
      upstream.close(code, text);
    }
  }
}
