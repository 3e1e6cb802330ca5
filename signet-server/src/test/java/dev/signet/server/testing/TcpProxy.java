package dev.signet.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP forwarder the tests can cut: {@link #down()} drops every connection and refuses
 * new ones, {@link #up()} listens again on the same port. Stands between a node and the real Redis
 * or PostgreSQL, so outages can be staged without stopping the shared services.
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private volatile ServerSocket server;

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = server.getLocalPort();
    accept(server);
  }

  public int port() {
    return port;
  }

  public synchronized void down() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  public synchronized void up() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server = s;
    accept(s);
  }

  private void accept(ServerSocket s) {
    threads.submit(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          synchronized (this) {
            if (s.isClosed()) {
              // down() ran while this connection was being set up: it must not survive the cut.
              client.close();
              target.close();
              continue;
            }
            open.add(client);
            open.add(target);
          }
          pipe(client, target);
          pipe(target, client);
        } catch (IOException e) {
          // Closed by down(), or the target refused: the client sees its connection drop.
        }
      }
    });
  }

  private void pipe(Socket from, Socket to) {
    threads.submit(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // Connection cut.
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // Already closed.
        }
      }
    });
  }

  @Override
  public void close() throws IOException {
    down();
    threads.shutdownNow();
  }
}
