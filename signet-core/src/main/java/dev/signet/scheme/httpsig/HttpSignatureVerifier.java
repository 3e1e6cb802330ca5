package dev.signet.scheme.httpsig;

import dev.signet.codec.Base64Url;
import dev.signet.keys.Ed25519PublicKey;
import dev.signet.keys.RsaDigest;
import dev.signet.keys.RsaPublicKey;
import dev.signet.verify.CheckedToken;
import dev.signet.verify.Failure;
import dev.signet.verify.KeyRef;
import dev.signet.verify.KeyResolver;
import dev.signet.verify.Principal;
import dev.signet.verify.RegisteredKey;
import dev.signet.verify.RequestView;
import dev.signet.verify.Scheme;
import dev.signet.verify.TokenChecks;
import dev.signet.verify.VerificationException;
import dev.signet.verify.VerifierPolicy;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Requests signed the RFC 9421 way by a registered session: {@code Signature-Input} and
 * {@code Signature} with one label; {@code keyid} the session id; {@code created} within the
 * acceptance window and skew ({@code expires}, if given, in the future); the covered components
 * include the required ones ({@code @target-uri} is also met by {@code @path} with {@code @query})
 * and {@code content-digest} when there is a body, whose RFC 9530 {@code Content-Digest} must match
 * it. The algorithm is the key's: {@code ed25519} for an Ed25519 session, {@code rsa-v1_5-sha256}
 * or {@code rsa-pss-sha512} (named in {@code alg}) for an RSA one. Single use: the {@code nonce},
 * or without one the keyid, {@code created} and signature together, are claimed once.
 */
public final class HttpSignatureVerifier {
  /** What a signature must cover unless configured otherwise. */
  public static final List<String> DEFAULT_REQUIRED = List.of("@method", "@target-uri");
  private static final int MAX_HEADER = 8192;

  private final KeyResolver keys;
  private final Clock clock;
  private final VerifierPolicy policy;
  private final List<String> required;

  public HttpSignatureVerifier(KeyResolver keys, Clock clock, VerifierPolicy policy, List<String> required) {
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.policy = Objects.requireNonNull(policy);
    this.required = List.copyOf(required);
  }

  /** Every check but single use (see {@link CheckedToken}). */
  public CheckedToken check(RequestView r) throws VerificationException {
    String inputHeader = r.header("Signature-Input");
    String signatureHeader = r.header("Signature");
    if (inputHeader == null || signatureHeader == null) {
      throw SignatureBase.malformed("an HTTP message signature needs both Signature-Input and Signature");
    }
    if (inputHeader.length() > MAX_HEADER || signatureHeader.length() > MAX_HEADER) {
      throw SignatureBase.malformed("Signature-Input or Signature longer than " + MAX_HEADER);
    }
    Map<String, Object> inputs;
    Map<String, Object> signatures;
    try {
      inputs = StructuredFields.dictionary(inputHeader);
      signatures = StructuredFields.dictionary(signatureHeader);
    } catch (IllegalArgumentException e) {
      throw SignatureBase.malformed("Signature-Input or Signature is not a structured dictionary: " + e.getMessage());
    }
    if (inputs.size() != 1) {
      throw SignatureBase.malformed("exactly one signature (one Signature-Input label) is accepted, got " + inputs.size());
    }
    String label = inputs.keySet().iterator().next();
    if (!(inputs.get(label) instanceof StructuredFields.InnerList covered)) {
      throw SignatureBase.malformed("Signature-Input " + label + " is not an inner list of components");
    }
    if (!(signatures.get(label) instanceof StructuredFields.Item sigItem) || !(sigItem.value() instanceof byte[] signature)) {
      throw SignatureBase.malformed("Signature has no byte sequence labelled " + label);
    }
    Map<String, Object> params = covered.params();
    String keyid = string(params, "keyid", true);
    if (!TokenChecks.isUuid(keyid)) {
      throw SignatureBase.malformed("keyid must be a session id (UUID)");
    }
    long created = integer(params, "created");
    String nonce = string(params, "nonce", false);
    String alg = string(params, "alg", false);
    coverage(covered, r);
    if (r.body().length > 0) {
      String digest = r.header("Content-Digest");
      if (digest == null) {
        throw new VerificationException(Failure.REQUEST_MISMATCH, "a request with a body needs a Content-Digest header");
      }
      String why = ContentDigest.mismatch(digest, r.body());
      if (why != null) {
        throw new VerificationException(Failure.REQUEST_MISMATCH, why);
      }
    }
    RegisteredKey key = keys.resolve(new KeyRef(Scheme.HTTP_SIGNATURE, null, keyid))
        .orElseThrow(() -> new VerificationException(Failure.UNKNOWN_KEY, "no session " + keyid));
    byte[] base = SignatureBase.build(covered, r);
    if (!verifies(key, alg, signature, base)) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "signature does not verify");
    }
    Instant until = freshness(created, params);
    Set<String> scopes = TokenChecks.scopes(null, key.grantedScopes(), policy.requiredScopes(), true);
    String replayId = "httpsig:" + keyid + ":" + (nonce != null ? "n:" + nonce
        : created + ":" + Base64Url.encode(ContentDigest.digest("SHA-256", signature)));
    Principal p = new Principal(Scheme.HTTP_SIGNATURE, key.userId(), keyid, null, scopes, until,
        nonce != null ? nonce : Long.toString(created), Map.of("label", label));
    return new CheckedToken(p, replayId, Instant.ofEpochSecond(created), until);
  }

  /** The required components, and {@code content-digest} when the request has a body. */
  private void coverage(StructuredFields.InnerList covered, RequestView r) throws VerificationException {
    Set<String> names = new java.util.HashSet<>();
    for (StructuredFields.Item item : covered.items()) {
      names.add(SignatureBase.component(item));
    }
    for (String need : required) {
      boolean met = names.contains(need) || (need.equals("@target-uri") && names.contains("@path") && names.contains("@query"));
      if (!met) {
        throw SignatureBase.malformed("the signature must cover " + need
            + (need.equals("@target-uri") ? " (or @path and @query)" : ""));
      }
    }
    if (r.body().length > 0 && !names.contains("content-digest")) {
      throw SignatureBase.malformed("a request with a body must be signed with content-digest covered");
    }
  }

  private Instant freshness(long created, Map<String, Object> params) throws VerificationException {
    long now = clock.instant().getEpochSecond();
    long window = policy.acceptanceWindow().getSeconds();
    long skew = policy.clockSkew().getSeconds();
    if (created > now + skew) {
      throw new VerificationException(Failure.ISSUED_IN_FUTURE, "signature created " + (created - now) + " s in the future");
    }
    if (created < now - window) {
      throw new VerificationException(Failure.STALE,
          "signature created " + (now - created) + " s ago, outside the " + window + " s acceptance window");
    }
    if (policy.issuedAfter() != null && created <= policy.issuedAfter().getEpochSecond()) {
      throw new VerificationException(Failure.STALE, "signature created before this server started; sign again");
    }
    if (params.containsKey("expires") && integer(params, "expires") <= now) {
      throw new VerificationException(Failure.EXPIRED, "signature expired");
    }
    return Instant.ofEpochSecond(Math.max(now + 1, created + window + skew));
  }

  private static boolean verifies(RegisteredKey key, String alg, byte[] signature, byte[] base) throws VerificationException {
    Object pub = key.key().publicKey();
    if (pub instanceof Ed25519PublicKey ed) {
      if (alg != null && !alg.equals("ed25519")) {
        throw new VerificationException(Failure.ALGORITHM, "the session's key is Ed25519: alg must be ed25519");
      }
      return ed.verify(signature, base, 0, base.length);
    }
    RsaPublicKey rsa = (RsaPublicKey) pub;
    if ("rsa-v1_5-sha256".equals(alg)) {
      return rsa.verifier(RsaDigest.SHA256).verify(signature, base, 0, base.length);
    }
    if ("rsa-pss-sha512".equals(alg)) {
      try {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
        s.initVerify(rsa.jdkKey());
        s.update(base);
        return s.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    throw new VerificationException(Failure.ALGORITHM, "the session's key is RSA: alg must be rsa-v1_5-sha256 or rsa-pss-sha512");
  }

  private static String string(Map<String, Object> params, String name, boolean needed) throws VerificationException {
    Object v = params.get(name);
    if (v == null && !needed) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 256) {
      throw SignatureBase.malformed("signature parameter " + name + " must be a string");
    }
    return s;
  }

  private static long integer(Map<String, Object> params, String name) throws VerificationException {
    if (!(params.get(name) instanceof Long n) || n < 0) {
      throw SignatureBase.malformed("signature parameter " + name + " must be an integer (seconds since the epoch)");
    }
    return n;
  }
}
