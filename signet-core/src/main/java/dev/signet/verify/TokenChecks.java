package dev.signet.verify;

import dev.signet.codec.Hex;
import dev.signet.codec.Sha256;
import dev.signet.jwt.Claims;
import dev.signet.jwt.ParsedJws;
import dev.signet.replay.ReplayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** The checks every token scheme shares: freshness, request binding, scopes, single use. */
public final class TokenChecks {
  /** Bot tokens' scope that covers every other scope. */
  public static final String FULL = "FULL";
  private static final int MAX_JTI_LENGTH = 128;

  private TokenChecks() {}

  /**
   * {@code exp} in the future, {@code iat} no further in the future than the skew and no older than
   * the acceptance window, {@code nbf} (if any) reached. Returns how long the token's id must be
   * remembered: until it could no longer be accepted.
   */
  public static Instant freshness(Claims c, Instant now, VerifierPolicy policy) throws VerificationException {
    long nowSec = now.getEpochSecond();
    long exp = c.numericDate("exp");
    long iat = issuedAndUnexpired(c, nowSec, policy);
    long window = policy.acceptanceWindow().getSeconds();
    if (iat < nowSec - window) {
      throw new VerificationException(Failure.STALE,
          "token issued " + (nowSec - iat) + " s ago, outside the " + window + " s acceptance window");
    }
    if (policy.issuedAfter() != null && iat <= policy.issuedAfter().getEpochSecond()) {
      throw new VerificationException(Failure.STALE, "token issued before this server started; sign a new one");
    }
    return Instant.ofEpochSecond(Math.max(nowSec + 1, Math.min(exp, iat + window)));
  }

  /**
   * {@code exp} in the future, {@code iat} no further in the future than the skew and not after
   * {@code exp}, {@code nbf} (if any) reached: what every token needs, whatever its window. Returns {@code iat}.
   */
  private static long issuedAndUnexpired(Claims c, long nowSec, VerifierPolicy policy) throws VerificationException {
    long exp = c.numericDate("exp");
    long iat = c.numericDate("iat");
    if (exp <= nowSec) {
      throw new VerificationException(Failure.EXPIRED, "token expired " + (nowSec - exp) + " s ago");
    }
    if (iat > nowSec + policy.clockSkew().getSeconds()) {
      throw new VerificationException(Failure.ISSUED_IN_FUTURE, "token issued " + (iat - nowSec) + " s in the future");
    }
    if (iat > exp) {
      throw new VerificationException(Failure.MALFORMED, "iat is after exp");
    }
    if (c.has("nbf") && c.numericDate("nbf") > nowSec + policy.clockSkew().getSeconds()) {
      throw new VerificationException(Failure.ISSUED_IN_FUTURE, "token not valid before its nbf");
    }
    return iat;
  }

  /**
   * For a token that may be reused until it expires ({@link Reuse#UNTIL_EXPIRY}): its acceptance
   * window is its own lifetime, {@code exp} in the future and {@code iat} no further in the future
   * than the skew, with {@code exp - iat} at most the policy's maximum lifetime. Nothing is
   * remembered, so a restart (the policy's {@code issuedAfter}) does not matter to it.
   */
  public static void validUntilExpiry(Claims c, Instant now, VerifierPolicy policy) throws VerificationException {
    long iat = issuedAndUnexpired(c, now.getEpochSecond(), policy);
    long lifetime = c.numericDate("exp") - iat;
    if (lifetime > policy.maxLifetime().getSeconds()) {
      throw new VerificationException(Failure.LIFETIME,
          "token lifetime " + lifetime + " s exceeds " + policy.maxLifetime().getSeconds() + " s");
    }
  }

  /**
   * Finds the key {@code ref} names, requires it to belong to the token's owner, and checks the
   * token's algorithm and signature against it. Nothing the token says is trusted before this.
   */
  public static RegisteredKey signedBy(ParsedJws jws, KeyResolver keys, KeyRef ref, String unknown)
      throws VerificationException {
    RegisteredKey key = keys.resolve(ref)
        .filter(k -> k.owner().equals(ref.owner()))
        .orElseThrow(() -> new VerificationException(Failure.UNKNOWN_KEY, unknown));
    jws.verify(key.key());
    return key;
  }

  /** {@code hex(sha256(METHOD + target + body))}, as all the seeds sign it. */
  public static byte[] requestDigest(String method, String target, byte[] body) {
    MessageDigest sha = Sha256.newDigest();
    sha.update(method.getBytes(StandardCharsets.UTF_8));
    sha.update(target.getBytes(StandardCharsets.UTF_8));
    sha.update(body);
    return sha.digest();
  }


  public static String requestSig(String method, String target, byte[] body) {
    return Hex.encode(requestDigest(method, target, body));
  }

  /** The {@code sig} claim must equal the digest of the request received; compared in constant time. */
  public static void requestBinding(Claims c, AuthRequest r) throws VerificationException {
    String sig = c.string("sig");
    if (sig.length() != 64 || !Hex.isHex(sig)) {
      throw new VerificationException(Failure.MALFORMED, "claim sig must be 64 hex characters");
    }
    byte[] expected = requestDigest(r.method(), r.target(), r.body());
    if (!MessageDigest.isEqual(Hex.decode(sig), expected)) {
      throw new VerificationException(Failure.REQUEST_MISMATCH,
          "token was signed for another method, path, query or body");
    }
  }

  /**
   * The scopes a request may use: the token's {@code scp} may narrow its key's grant, never widen
   * it; a token without {@code scp} has the whole grant. Then every required scope must be covered.
   */
  public static Set<String> scopes(String scp, Set<String> granted, Set<String> required, boolean fullCoversAll)
      throws VerificationException {
    Set<String> token = scp == null ? null : split(scp);
    Set<String> effective;
    if (granted == null) {
      effective = token == null ? Set.of(FULL) : token;
    } else if (token == null || (fullCoversAll && token.contains(FULL))) {
      effective = granted;
    } else if (fullCoversAll && granted.contains(FULL)) {
      effective = token;
    } else {
      effective = new HashSet<>(token);
      effective.retainAll(granted);
    }
    boolean all = fullCoversAll && effective.contains(FULL);
    if (!all && !effective.containsAll(required)) {
      Set<String> missing = new HashSet<>(required);
      missing.removeAll(effective);
      throw new VerificationException(Failure.SCOPE, "token lacks scope " + String.join(" ", new java.util.TreeSet<>(missing)));
    }
    return Collections.unmodifiableSet(effective);
  }

  public static String jti(Claims c) throws VerificationException {
    String jti = c.string("jti");
    if (jti.length() > MAX_JTI_LENGTH) {
      throw new VerificationException(Failure.MALFORMED, "claim jti longer than " + MAX_JTI_LENGTH);
    }
    return jti;
  }

  /** A claim that must be a UUID, as the SDKs' user, session and authorization ids are. */
  public static String uuid(Claims c, String name) throws VerificationException {
    String v = c.string(name);
    if (!isUuid(v)) {
      throw new VerificationException(Failure.MALFORMED, "claim " + name + " must be a UUID");
    }
    return v;
  }

  public static boolean isUuid(String s) {
    // 8-4-4-4-12 hex digits, checked by hand: two UUIDs per token, and a regex costs more than the rest.
    if (s == null || s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Consumes a single-use id; the last check, so that refused requests consume nothing. */
  public static void singleUse(ReplayStore store, String id, Instant issuedAt, Instant until) throws VerificationException {
    if (!store.firstUse(id, issuedAt, until)) {
      throw new VerificationException(Failure.REPLAYED, "token was already used");
    }
  }

  private static Set<String> split(String scp) {
    Set<String> out = new HashSet<>();
    for (String s : scp.split(" ")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
