package dev.signet.server.websocket;

import dev.signet.verify.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and its upstream, once both handshakes are done: the bytes of each are
 * written to the other as they came, so every frame (text, binary, fragments, ping, pong, close
 * with its code and reason) passes unchanged and nothing is decoded, copied or re-masked. A
 * {@link FrameScanner} per direction follows the frame headers for the message limit, the metrics
 * and the frame boundaries Signet's own close frames go between. A side that cannot take more
 * stops the other side's reads until it drains (Netty's write watermarks bound the queue). Both
 * channels are on one event loop, where everything here runs.
 */
final class Relay {
  /** How long a side Signet closed gets to answer with its close frame before its socket is closed. */
  private static final long CLOSE_REPLY_MILLIS = 2000;

  private final Side client;
  private final Side upstream;
  private final Principal principal;
  private final Clock clock;
  private final long openedAtMillis;
  private final WebSocketMetrics metrics;
  private final SecureRandom random;
  private final Runnable onEnd;
  /** Written on the event loop, read by the sweep. */
  private volatile long lastActivityMillis;
  private CloseReason reason;
  /** Signet closed the connection, or a side went away: nothing more is relayed. */
  private boolean stopped;
  private int channelsOpen = 2;

  Relay(Channel clientChannel, Channel upstreamChannel, Principal principal, Clock clock, int maxMessageBytes, WebSocketMetrics metrics,
      SecureRandom random, Runnable onEnd) {
    this.principal = principal;
    this.clock = clock;
    this.metrics = metrics;
    this.random = random;
    this.onEnd = onEnd;
    this.openedAtMillis = clock.millis();
    this.lastActivityMillis = openedAtMillis;
    this.client = new Side(clientChannel, true, maxMessageBytes);
    this.upstream = new Side(upstreamChannel, false, maxMessageBytes);
    client.other = upstream;
    upstream.other = client;
  }

  Principal principal() {
    return principal;
  }

  long openedAtMillis() {
    return openedAtMillis;
  }

  long lastActivityMillis() {
    return lastActivityMillis;
  }

  /** The handler for the client's channel: reads from the client, writes to it. */
  ChannelInboundHandlerAdapter clientSide() {
    return client;
  }

  /** The handler for the upstream's channel. */
  ChannelInboundHandlerAdapter upstreamSide() {
    return upstream;
  }

  /** Once both handlers are in their pipelines: counted as open, reads begin. */
  void start() {
    metrics.opened(principal.scheme());
    for (Side s : new Side[] {client, upstream}) {
      s.channel.closeFuture().addListener(f -> ended());
      s.channel.config().setAutoRead(true);
    }
  }

  /** Closes both sides with {@code code} and {@code text} (from any thread); a no-op once Signet is closing it. */
  void close(int code, String text, CloseReason why) {
    client.channel.eventLoop().execute(() -> closeBoth(code, text, why));
  }

  private void ended() {
    if (--channelsOpen == 0) {
      onEnd.run();
    }
  }

  private void closing(CloseReason why) {
    if (reason == null) {
      reason = why;
      metrics.closed(principal.scheme(), why);
    }
  }

  private void closeBoth(int code, String text, CloseReason why) {
    if (stopped) {
      return;
    }
    // A close handshake under way (a side's close frame relayed) is cut short too: its peer may never answer.
    closing(why);
    stopped = true;
    for (Side s : new Side[] {client, upstream}) {
      s.sendClose(code, text);
    }
  }

  /** One side's socket is gone: the other is told (1001) unless a close frame already was relayed, then closed. */
  private void gone(Side side) {
    Side other = side.other;
    if (reason == null) {
      closing(side.fromClient ? CloseReason.CLIENT_GONE : CloseReason.UPSTREAM_GONE);
      if (side.scanner.atFrameBoundary() && other.channel.isActive()) {
        other.ctx.write(Handshakes.closeFrame(other.ctx.alloc(), 1001, (side.fromClient ? "client" : "upstream") + " went away",
            !other.fromClient, random));
      }
    }
    stopped = true;
    other.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** One direction: a channel whose reads are written to {@code other}'s channel. */
  private final class Side extends ChannelInboundHandlerAdapter {
    final Channel channel;
    final boolean fromClient;
    final FrameScanner scanner;
    Side other;
    ChannelHandlerContext ctx;
    private boolean flushPending;

    Side(Channel channel, boolean fromClient, int maxMessageBytes) {
      this.channel = channel;
      this.fromClient = fromClient;
      this.scanner = new FrameScanner(maxMessageBytes);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      lastActivityMillis = clock.millis();
      if (stopped) {
        // Only waiting for this side's close frame (or its socket's end) now.
        scanner.scan(buf);
        buf.release();
        if (scanner.closeSeen()) {
          ctx.close();
        }
        return;
      }
      boolean closedBefore = scanner.closeSeen();
      FrameScanner.Outcome outcome = scanner.scan(buf);
      metrics.relayed(fromClient, scanner.frames(), scanner.payloadBytes());
      if (outcome == FrameScanner.Outcome.TOO_BIG) {
        ByteBuf before = buf.readRetainedSlice(scanner.tooBigAt());
        buf.release();
        other.ctx.write(before);
        closeBoth(1009, "message larger than " + scanner.maxMessageBytes() + " bytes", CloseReason.MESSAGE_TOO_BIG);
        return;
      }
      if (!closedBefore && scanner.closeSeen()) {
        closing(fromClient ? CloseReason.CLIENT_CLOSED : CloseReason.UPSTREAM_CLOSED);
      }
      other.ctx.write(buf);
      flushPending = true;
      if (!other.channel.isWritable()) {
        channel.config().setAutoRead(false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (flushPending) {
        flushPending = false;
        other.ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (channel.isWritable() && !stopped) {
        other.channel.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      gone(this);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A reset or a TLS failure: the socket ends, and channelInactive says so to the other side.
      ctx.close();
    }

    /** Signet's own close frame to this side, between two frames; without one if a frame is half sent. */
    void sendClose(int code, String text) {
      if (!channel.isActive()) {
        return;
      }
      channel.config().setAutoRead(true); // to read the answer, even if backpressure had stopped reads
      if (!other.scanner.atFrameBoundary()) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.writeAndFlush(Handshakes.closeFrame(ctx.alloc(), code, text, !fromClient, random));
      if (scanner.closeSeen()) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        channel.eventLoop().schedule(() -> ctx.close(), CLOSE_REPLY_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
  }
}
