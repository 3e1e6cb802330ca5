package dev.signet.scheme.httpsig;

import dev.signet.keys.Ed25519PrivateKey;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPrivateKey;
import dev.signet.keys.SigningKey;
import dev.signet.verify.RequestView;
import dev.signet.verify.VerificationException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs requests the RFC 9421 way with a session key: covers {@code "@method"},
 * {@code "@target-uri"} and, with a body, {@code "content-digest"} (sha-256, added as a header);
 * parameters {@code created}, {@code keyid} (the session id), {@code alg} and a random
 * {@code nonce}. Ed25519 sessions sign {@code ed25519}; RSA sessions {@code rsa-v1_5-sha256}.
 */
public final class HttpSignatureSigner {
  private static final String LABEL = "sig1";
  private final String sessionId;
  private final SigningKey key;
  private final Clock clock;
  private final SecureRandom random;

  public HttpSignatureSigner(String sessionId, SigningKey key, Clock clock, SecureRandom random) {
    this.sessionId = Objects.requireNonNull(sessionId);
    this.key = Objects.requireNonNull(key);
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
  }

  /**
   * The headers to add to a request to {@code uri} (absolute): {@code Signature-Input},
   * {@code Signature} and, when {@code body} is not empty, {@code Content-Digest}.
   */
  public Map<String, String> sign(String method, URI uri, byte[] body) {
    Map<String, String> out = new LinkedHashMap<>();
    List<StructuredFields.Item> covered = new ArrayList<>();
    covered.add(new StructuredFields.Item("@method", Map.of()));
    covered.add(new StructuredFields.Item("@target-uri", Map.of()));
    boolean hasBody = body != null && body.length > 0;
    if (hasBody) {
      out.put("Content-Digest", ContentDigest.sha256(body));
      covered.add(new StructuredFields.Item("content-digest", Map.of()));
    }
    byte[] n = new byte[16];
    random.nextBytes(n);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("created", clock.instant().getEpochSecond());
    params.put("keyid", sessionId);
    params.put("alg", key instanceof Ed25519PrivateKey ? "ed25519" : "rsa-v1_5-sha256");
    params.put("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(n));
    StructuredFields.InnerList list = new StructuredFields.InnerList(covered, params);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    RequestView view = new RequestView(method, target, origin, body,
        name -> name.equalsIgnoreCase("content-digest") && hasBody ? List.of(out.get("Content-Digest")) : List.of());
    byte[] base;
    try {
      base = SignatureBase.build(list, view);
    } catch (VerificationException e) {
      throw new IllegalArgumentException("cannot sign this request: " + e.getMessage(), e);
    }
    byte[] signature = key instanceof Ed25519PrivateKey ed ? ed.sign(base) : ((RsaPrivateKey) key).signer(RsaDigest.SHA256).sign(base);
    out.put("Signature-Input", LABEL + "=" + StructuredFields.serialize(list));
    out.put("Signature", LABEL + "=:" + Base64.getEncoder().encodeToString(signature) + ":");
    return out;
  }
}
