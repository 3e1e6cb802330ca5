package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.scheme.httpsig.HttpSignatureSigner;
import dev.signet.server.testing.LocalServer;
import dev.signet.server.testing.LocalServer.Reply;
import dev.signet.testing.Fixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 9421 signatures by a registered session on a running server: /me, the decision API, refusals. */
class HttpSignatureE2ETest {
  @TempDir
  Path dir;

  @Test
  void aSessionSignsRequestsTheStandardWay() throws Exception {
    try (LocalServer s = new LocalServer(dir, Map.of())) {
      String uid = s.newUser("signer");
      Ed25519PrivateKey key = Fixtures.newEd25519();
      String sid = s.newSession(uid, key.publicKey().toBase64Url());
      HttpSignatureSigner signer = new HttpSignatureSigner(sid, key, Clock.systemUTC(), new SecureRandom());

      Map<String, String> headers = signer.sign("GET", URI.create(s.base() + "/me"), null);
      Reply me = s.call("GET", "/me", null, headers);
      assertThat(me.status()).as(me.raw().body()).isEqualTo(200);
      assertThat(me.data().get("scheme").asText()).isEqualTo("http-signature");
      assertThat(me.data().get("user_id").asText()).isEqualTo(uid);
      assertThat(me.data().get("session_id").asText()).isEqualTo(sid);
      assertThat(s.call("GET", "/me", null, headers).description()).startsWith("replayed");

      // The decision API: the signature covers the request the gateway names, body and all.
      String body = "{\"amount\":\"1\"}";
      Map<String, String> post = signer.sign("POST", URI.create(s.base() + "/api/transfers?asset=btc"), body.getBytes(StandardCharsets.UTF_8));
      Reply decided = s.call("POST", "/decisions/api/transfers?asset=btc", body, post);
      assertThat(decided.status()).as(decided.raw().body()).isEqualTo(200);
      assertThat(decided.raw().headers().firstValue("X-Signet-Scheme")).contains("http-signature");
      Map<String, String> again = signer.sign("POST", URI.create(s.base() + "/api/transfers?asset=btc"), body.getBytes(StandardCharsets.UTF_8));
      assertThat(s.call("POST", "/decisions/api/transfers?asset=btc", "{\"amount\":\"9\"}", again).description())
          .startsWith("request_mismatch").contains("Content-Digest");
      assertThat(s.call("POST", "/decisions/api/transfers?asset=eth", body, again).description()).startsWith("bad_signature");

      // A revoked session's signatures are refused at once.
      s.adminOk("DELETE", "/admin/sessions/" + sid, null);
      assertThat(s.call("GET", "/me", null, signer.sign("GET", URI.create(s.base() + "/me"), null)).description())
          .startsWith("unknown_key");
      // Two Signature-Input headers are not two chances.
      Map<String, String> h = new HashMap<>(headers);
      assertThat(s.call("GET", "/me", null, Map.of("Signature-Input", h.get("Signature-Input") + ", x=()", "Signature", h.get("Signature")))
          .description()).startsWith("malformed");
      assertThat(s.call("GET", "/metrics", null, Map.of()).raw().body()).contains("scheme=\"http-signature\"");
    }
  }

  @Test
  void xForwardedHostIsBelievedFromTrustedProxiesOnly(@TempDir Path other) throws Exception {
    for (boolean loopbackTrusted : new boolean[] {true, false}) {
      Map<String, String> env = loopbackTrusted ? Map.of() : Map.of("SIGNET_DECISIONS_TRUSTED_PROXIES", "10.0.0.0/8");
      try (LocalServer s = new LocalServer(other.resolve(String.valueOf(loopbackTrusted)), env)) {
        String uid = s.newUser("fwd");
        Ed25519PrivateKey key = Fixtures.newEd25519();
        String sid = s.newSession(uid, key.publicKey().toBase64Url());
        HttpSignatureSigner signer = new HttpSignatureSigner(sid, key, Clock.systemUTC(), new SecureRandom());
        // Signed for the public name a gateway's client used; the request arrives with the gateway's headers.
        Map<String, String> h = new HashMap<>(signer.sign("GET", URI.create("https://api.example.com/me"), null));
        h.put("X-Forwarded-Host", "api.example.com");
        h.put("X-Forwarded-Proto", "https");
        Reply r = s.call("GET", "/me", null, h);
        if (loopbackTrusted) {
          assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        } else {
          assertThat(r.description()).as("an untrusted sender's X-Forwarded-Host is ignored").startsWith("bad_signature");
        }
      }
    }
  }
}
