package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on {@code signet serve}: drain (/healthz fails, requests still served), stop accepting, finish what is in flight, exit 0. */
class ShutdownIT {
  static final String ADMIN = "shutdown-it-admin-token-0123456789";

  @TempDir
  Path dir;

  @Test
  void sigtermDrainsThenAnswersTheRequestInFlightAndExitsZero() throws Exception {
    ServeProcess node = ServeProcess.start(Map.of("SIGNET_DATA_DIR", dir.resolve("data").toString(), "SIGNET_ADMIN_TOKEN", ADMIN,
        "SIGNET_SHUTDOWN_DRAIN_SECONDS", "2", "SIGNET_SHUTDOWN_GRACE_SECONDS", "20"), dir.resolve("serve.log"));
    try {
      ClusterIT.Session session = ClusterIT.newSession(node, ADMIN);
      Thread.sleep(1100);   // tokens from the node's start second are refused (restart safety)
      // A request in flight: its headers and half its body sent, the rest only after the drain.
      String body = "{\"half\":\"sent before SIGTERM\",\"rest\":\"after the drain\"}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try (Socket inFlight = new Socket("127.0.0.1", node.port())) {
        inFlight.setSoTimeout(30_000);
        OutputStream out = inFlight.getOutputStream();
        out.write(("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + session.token("GET", "/me", body)
            + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, 20);
        out.flush();
        Thread.sleep(200);

        node.terminate();
        Thread.sleep(500);
        // Draining: health fails so that a load balancer stops sending here, requests are still served.
        ClusterIT.Reply health = ClusterIT.send(node, "GET", "/healthz", null, null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().at("/error/description").asText()).isEqualTo("unavailable: shutting down");
        assertThat(ClusterIT.send(node, "GET", "/me", null, session.token("GET", "/me", null)).status()).isEqualTo(200);

        Thread.sleep(2500);
        // Past the drain: no new connections...
        assertThatThrownBy(() -> new Socket("127.0.0.1", node.port()).close()).isInstanceOf(ConnectException.class);
        // ...but the request in flight is finished, verified and answered.
        out.write(bytes, 20, bytes.length - 20);
        out.flush();
        InputStream in = inFlight.getInputStream();
        String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reply).startsWith("HTTP/1.1 200").contains("\"user_id\":\"" + session.userId() + "\"");
      }
      assertThat(node.awaitExit(20)).as("exit code after SIGTERM").isZero();
      assertThat(Files.readString(node.log())).contains("shutting down").contains("stopped");
    } finally {
      node.close();
    }
  }
}
