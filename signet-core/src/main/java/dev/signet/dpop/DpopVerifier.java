package dev.signet.dpop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import dev.signet.jwt.Claims;
import dev.signet.keys.Ed25519Provider;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Checks a DPoP proof (RFC 9449 section 4.3) for one request: {@code typ dpop+jwt}; an asymmetric
 * {@code alg} with a public {@code jwk} that verifies the signature; {@code htm} the request's
 * method; {@code htu} its URI (normalised, query and fragment ignored); {@code iat} within the
 * policy's acceptance window and skew; with an access token, {@code ath} its SHA-256 and the key
 * the one the token is bound to ({@code cnf.jkt}); the server's nonce when nonces are on. The
 * returned replay id ({@code jti} under the key's thumbprint) must then be claimed once. Every
 * refusal is {@code invalid_dpop_proof} naming the check, or {@code use_dpop_nonce}.
 */
public final class DpopVerifier {
  /** Proofs longer than this are refused unread (an RSA-4096 jwk and its signature fit easily). */
  public static final int MAX_LENGTH = 8192;
  private static final int MAX_JTI = 256;

  /** A proof that passed: its key's thumbprint, and the id to claim with the window it must be kept. */
  public record Checked(String thumbprint, String replayId, Instant issuedAt, Instant until) {}

  private final Clock clock;
  private final VerifierPolicy policy;
  private final Ed25519Provider ed25519;
  private final DpopNonces nonces;

  /** @param nonces the server's nonces, required in every proof; null to require none */
  public DpopVerifier(Clock clock, VerifierPolicy policy, Ed25519Provider ed25519, DpopNonces nonces) {
    this.clock = Objects.requireNonNull(clock);
    this.policy = Objects.requireNonNull(policy);
    this.ed25519 = Objects.requireNonNull(ed25519);
    this.nonces = nonces;
  }

  /**
   * @param proof the request's one {@code DPoP} header value, or null when it had none
   * @param uri the request's absolute URI as its client addressed it (scheme, host, path)
   * @param accessToken the access token sent with the proof, or null at the token endpoint
   * @param boundThumbprint the token's {@code cnf.jkt}, or null at the token endpoint
   */
  public Checked check(String proof, String method, String uri, String accessToken, String boundThumbprint)
      throws VerificationException {
    if (proof == null || proof.isEmpty()) {
      throw ProofKey.invalid("a DPoP header with a proof for this request is required");
    }
    if (proof.length() > MAX_LENGTH) {
      throw ProofKey.invalid("proof longer than " + MAX_LENGTH + " characters");
    }
    int dot1 = proof.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : proof.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 == proof.length() - 1 || proof.indexOf('.', dot2 + 1) >= 0) {
      throw ProofKey.invalid("a proof is a compact JWS of three non-empty parts");
    }
    ObjectNode header;
    byte[] payload;
    byte[] signature;
    try {
      header = StrictJson.parseObject(Base64Url.decode(proof, 0, dot1));
      payload = Base64Url.decode(proof, dot1 + 1, dot2);
      signature = Base64Url.decode(proof, dot2 + 1, proof.length());
    } catch (IllegalArgumentException e) {
      throw ProofKey.invalid("proof is not canonical base64url JSON: " + e.getMessage());
    }
    JsonNode typ = header.get("typ");
    if (typ == null || !typ.isTextual() || !typ.textValue().equalsIgnoreCase("dpop+jwt")) {
      throw ProofKey.invalid("header typ must be dpop+jwt");
    }
    if (header.has("crit")) {
      throw ProofKey.invalid("header crit lists extensions this verifier does not understand");
    }
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual()) {
      throw ProofKey.invalid("header has no alg");
    }
    ProofKey key = ProofKey.of(alg.textValue(), header.get("jwk"), ed25519);
    byte[] input = proof.getBytes(StandardCharsets.ISO_8859_1);
    if (!key.verify(signature, input, dot2)) {
      throw ProofKey.invalid("signature does not verify with the proof's jwk");
    }
    Claims c;
    try {
      c = Claims.parse(payload);
      return claims(c, key, method, uri, accessToken, boundThumbprint);
    } catch (VerificationException e) {
      if (e.failure() == Failure.MALFORMED) {
        throw ProofKey.invalid(e.getMessage());
      }
      throw e;
    }
  }

  private Checked claims(Claims c, ProofKey key, String method, String uri, String accessToken, String boundThumbprint)
      throws VerificationException {
    String jti = c.string("jti");
    if (jti.length() > MAX_JTI) {
      throw ProofKey.invalid("claim jti longer than " + MAX_JTI);
    }
    String htm = c.string("htm");
    if (!htm.equals(method)) {
      throw ProofKey.invalid("htm is " + ProofKey.printable(htm) + " but the request is " + method);
    }
    String htu = c.string("htu");
    if (!Htu.same(htu, uri)) {
      throw ProofKey.invalid("htu does not name this request's URI (" + Htu.normalize(uri) + ")");
    }
    long now = clock.instant().getEpochSecond();
    long iat = c.numericDate("iat");
    long window = policy.acceptanceWindow().getSeconds();
    long skew = policy.clockSkew().getSeconds();
    if (iat > now + skew) {
      throw ProofKey.invalid("proof issued " + (iat - now) + " s in the future");
    }
    if (iat < now - window) {
      throw ProofKey.invalid("proof issued " + (now - iat) + " s ago, outside the " + window + " s window");
    }
    if (policy.issuedAfter() != null && iat <= policy.issuedAfter().getEpochSecond()) {
      // A replay store in memory forgot the proofs used before a restart.
      throw new VerificationException(Failure.STALE, "proof issued before this server started; make a new one");
    }
    if (accessToken != null) {
      String ath = c.optionalString("ath");
      if (ath == null) {
        throw ProofKey.invalid("claim ath (the access token's hash) is missing");
      }
      if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
          accessTokenHash(accessToken).getBytes(StandardCharsets.US_ASCII))) {
        throw ProofKey.invalid("ath is not the hash of the access token sent with it");
      }
    }
    if (boundThumbprint != null && !MessageDigest.isEqual(boundThumbprint.getBytes(StandardCharsets.US_ASCII),
        key.thumbprint().getBytes(StandardCharsets.US_ASCII))) {
      throw ProofKey.invalid("the proof's key is not the key the access token is bound to");
    }
    if (nonces != null && !nonces.valid(c.optionalString("nonce"))) {
      throw new VerificationException(Failure.DPOP_NONCE, "the proof must carry the nonce in this response's DPoP-Nonce header");
    }
    long until = Math.max(now + 1, iat + window + skew);
    return new Checked(key.thumbprint(), "dpop:" + key.thumbprint() + ":" + jti, Instant.ofEpochSecond(iat),
        Instant.ofEpochSecond(until));
  }

  /** {@code ath}: base64url(SHA-256(the access token's ASCII)). */
  public static String accessTokenHash(String accessToken) {
    try {
      return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
