package dev.signet.server.websocket;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a route's upstream WebSocket on the client connection's own event loop, with plain Netty:
 * the HTTP codec is there for the handshake only, then the channel carries the relay's bytes and
 * nothing else (no frame decoder, no queues of a WebSocket object), which is most of what a held
 * connection costs. The upstream's answer is checked as a client must (RFC 6455 4.1): 101, the
 * accept key, no extension, a subprotocol only if one was offered.
 */
final class Upstreams {
  private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

  /** An upstream that answered, or not, the upgrade. */
  static final class Refused extends Exception {
    final boolean reached;

    Refused(String message, boolean reached) {
      super(message, null, false, false);
      this.reached = reached;
    }
  }

  /** An upstream WebSocket, handshake done, reads held until {@link #relayTo} installs the relay. */
  static final class Opened {
    private final Channel channel;
    private final String subprotocol;
    private final Handshake handshake;

    private Opened(Channel channel, String subprotocol, Handshake handshake) {
      this.channel = channel;
      this.subprotocol = subprotocol;
      this.handshake = handshake;
    }

    Channel channel() {
      return channel;
    }

    /** The upstream's choice, or null. */
    String subprotocol() {
      return subprotocol;
    }

    /** Puts {@code relay} in place of the HTTP codec; bytes that came with the 101 are passed to it first. */
    void relayTo(ChannelHandler relay) {
      ChannelPipeline p = channel.pipeline();
      p.addLast("relay", relay);
      // Removing the codec passes on what it held after the 101: to the handshake's early bytes.
      p.remove("aggregator");
      p.remove("http");
      handshake.forward();
      p.remove(handshake);
    }

    void close() {
      channel.close();
    }
  }

  private final Vertx vertx;
  private final int timeoutMillis;
  private final SecureRandom random;
  private SslContext tls;

  Upstreams(Vertx vertx, int timeoutSeconds, SecureRandom random) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutSeconds * 1000;
    this.random = random;
  }

  /**
   * @param like the client's channel: the upstream's is made of the same transport, on its event loop
   * @param upstream the route's {@code ws://} or {@code wss://} origin
   * @param target the raw request target, relayed as it came
   */
  Future<Opened> open(Channel like, String upstream, String target, MultiMap headers, List<String> offered) {
    URI uri = URI.create(upstream);
    boolean secure = uri.getScheme().equalsIgnoreCase("wss");
    String host = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    Promise<Opened> promise = Promise.promise();
    resolve(host).onFailure(e -> promise.tryFail(new Refused("could not be reached", false))).onSuccess(address -> {
      String key = Handshakes.newKey(random);
      Handshake handshake = new Handshake(key, offered, promise);
      Bootstrap b = new Bootstrap().group(like.eventLoop())
          .channelFactory(() -> like instanceof EpollSocketChannel ? new EpollSocketChannel() : new NioSocketChannel())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.ALLOCATOR, like.alloc())
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) throws SSLException {
              if (secure) {
                ch.pipeline().addLast("tls", tls(ch, host, port));
              }
              ch.pipeline().addLast("http", new HttpClientCodec());
              ch.pipeline().addLast("aggregator", new HttpObjectAggregator(64 * 1024));
              ch.pipeline().addLast("handshake", handshake);
            }
          });
      ChannelFuture connect = b.connect(new InetSocketAddress(address, port));
      connect.addListener(f -> {
        if (!f.isSuccess()) {
          LOG.warn("WebSocket upstream {}:{} could not be reached: {}", host, port, f.cause().toString());
          promise.tryFail(new Refused("could not be reached", false));
          return;
        }
        Channel ch = connect.channel();
        ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> {
          if (promise.tryFail(new Refused("did not answer the upgrade in time", false))) {
            ch.close();
          }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        promise.future().onComplete(done -> timeout.cancel(false));
        ch.writeAndFlush(request(uri, port, secure, target, headers, key, offered));
      });
    });
    return promise.future();
  }

  private Future<InetAddress> resolve(String host) {
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
    if (literal != null) {
      return Future.succeededFuture(literal);
    }
    // A name may need DNS: looked up on a worker, never on the event loop.
    return vertx.executeBlocking(() -> InetAddress.getByName(host), false);
  }

  private synchronized SslHandler tls(Channel ch, String host, int port) throws SSLException {
    if (tls == null) {
      tls = SslContextBuilder.forClient().build(); // the JDK's trusted certificates, as the HTTP routes use
    }
    SslHandler handler = tls.newHandler(ch.alloc(), host, port);
    SSLParameters params = handler.engine().getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    handler.engine().setSSLParameters(params);
    return handler;
  }

  private static FullHttpRequest request(URI uri, int port, boolean secure, String target, MultiMap headers, String key,
      List<String> offered) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
    headers.forEach(h -> r.headers().add(h.getKey(), h.getValue()));
    boolean defaultPort = port == (secure ? 443 : 80);
    r.headers().set("Host", uri.getHost() + (defaultPort ? "" : ":" + port))
        .set("Upgrade", "websocket")
        .set("Connection", "Upgrade")
        .set("Sec-WebSocket-Key", key)
        .set("Sec-WebSocket-Version", "13");
    if (!offered.isEmpty()) {
      r.headers().set("Sec-WebSocket-Protocol", String.join(",", offered));
    }
    return r;
  }

  /** Waits for the upstream's 101 and checks it; holds back what follows it until the relay is in place. */
  private static final class Handshake extends ChannelInboundHandlerAdapter {
    private final String key;
    private final List<String> offered;
    private final Promise<Opened> promise;
    private final List<ByteBuf> early = new ArrayList<>(1);
    private ChannelHandlerContext ctx;
    private boolean forwarding;

    Handshake(String key, List<String> offered, Promise<Opened> promise) {
      this.key = key;
      this.offered = offered;
      this.promise = promise;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (forwarding) {
        ctx.fireChannelRead(msg);
      } else if (msg instanceof FullHttpResponse response) {
        try {
          answered(ctx, response);
        } finally {
          response.release();
        }
      } else if (msg instanceof ByteBuf buf && promise.future().succeeded()) {
        early.add(buf);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    private void answered(ChannelHandlerContext ctx, FullHttpResponse response) {
      String problem = problem(response);
      if (problem != null) {
        if (promise.tryFail(new Refused(problem, true))) {
          ctx.close();
        }
        return;
      }
      // Nothing more is read until the client's side is upgraded too and the relay is in place.
      ctx.channel().config().setAutoRead(false);
      String protocol = response.headers().get("Sec-WebSocket-Protocol");
      if (!promise.tryComplete(new Opened(ctx.channel(), protocol == null ? null : protocol.trim(), this))) {
        ctx.close(); // too late: the time to answer was over
      }
    }

    private String problem(FullHttpResponse response) {
      int status = response.status().code();
      if (status != 101) {
        return "answered the upgrade with " + status;
      }
      var h = response.headers();
      String protocol = h.get("Sec-WebSocket-Protocol");
      boolean valid = h.containsValue("Upgrade", "websocket", true) && h.containsValue("Connection", "upgrade", true)
          && Handshakes.accept(key).equals(h.get("Sec-WebSocket-Accept"))
          && !h.contains("Sec-WebSocket-Extensions")
          && (protocol == null || offered.contains(protocol.trim()));
      return valid ? null : "answered the upgrade with an invalid WebSocket handshake";
    }

    void forward() {
      forwarding = true;
      for (ByteBuf b : early) {
        ctx.fireChannelRead(b);
      }
      early.clear();
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      promise.tryFail(new Refused("closed the connection during the upgrade", true));
      early.forEach(ByteBuf::release);
      early.clear();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (promise.tryFail(new Refused(cause instanceof SSLException ? "failed the TLS handshake" : "could not be reached", false))) {
        ctx.close();
      }
    }
  }
}
