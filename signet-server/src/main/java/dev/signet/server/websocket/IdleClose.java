package dev.signet.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The client socket's idle timer once it is a WebSocket: {@code websocket.idle_timeout_seconds}
 * of no frame either way (not the HTTP {@code limits.idle_timeout_seconds} it had before the
 * upgrade), then a close frame with a reason rather than a dropped connection.
 */
final class IdleClose extends IdleStateHandler {
  private final Runnable onIdle;

  IdleClose(int seconds, Runnable onIdle) {
    super(0, 0, seconds, TimeUnit.SECONDS);
    this.onIdle = onIdle;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    onIdle.run();
  }
}
