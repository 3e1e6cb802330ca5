package dev.signet.servlet;

import dev.signet.limits.AddressKey;
import dev.signet.limits.Charge;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.limits.RateLimitRules;
import dev.signet.limits.RateLimiter;
import dev.signet.verify.BearerAuthenticator;
import dev.signet.verify.Principal;
import dev.signet.verify.RequestView;
import dev.signet.verify.VerificationException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How a Servlet request reaches the core verifier: the method, the raw request target (path and
 * query exactly as sent, no decoding), the body read once under a limit, and the headers (the
 * {@code Authorization} token, or an RFC 9421 {@code Signature-Input}/{@code Signature} by a session). Shared by {@link SignetFilter} and the Spring Boot starter, so both
 * bind tokens to the same bytes.
 */
public final class ServletVerifier {
  /** The request attribute under which a verified request carries its {@link Principal}. */
  public static final String PRINCIPAL_ATTRIBUTE = Principal.class.getName();

  private static final byte[] EMPTY = new byte[0];

  /**
   * Told the outcome of every verification, for metrics: the scheme's wire name ({@code unknown}
   * before the token's kind is known), {@code ok} or the refusal's code, and the nanoseconds it took.
   * The labels are {@code signet serve}'s, so one dashboard serves both. Nanoseconds are
   * {@link #AFTER_VERIFICATION} for a refusal decided after a verification that was itself {@code ok}
   * (the Spring starter's {@code scope} refusals by the application's authorization rules): it took
   * no verification time of its own.
   */
  @FunctionalInterface
  public interface Outcomes {
    Outcomes NONE = (scheme, outcome, nanos) -> {};
    long AFTER_VERIFICATION = -1;

    void record(String scheme, String outcome, long nanos);

    /** A verified request was refused 429 by the rate limit {@code policy}. */
    default void rateLimited(String policy) {}
  }

  private final BearerAuthenticator authenticator;
  private final int maxBodyBytes;
  private final Outcomes outcomes;
  private final RateLimitRules limits;
  private final RateLimiter limiter;

  /** Where this verifier reports its outcomes (an integration reports later refusals there too). */
  public Outcomes outcomes() {
    return outcomes;
  }

  /** @param maxBodyBytes larger bodies are refused with 413, unread beyond the limit */
  public ServletVerifier(BearerAuthenticator authenticator, int maxBodyBytes) {
    this(authenticator, maxBodyBytes, Outcomes.NONE);
  }

  public ServletVerifier(BearerAuthenticator authenticator, int maxBodyBytes, Outcomes outcomes) {
    this(authenticator, maxBodyBytes, outcomes, RateLimitRules.NONE, null);
  }

  /**
   * With rate limits: each verified request (its token claimed) is counted against {@code limits}
   * in {@code limiter}; one over a limit is refused 429. Forged and replayed tokens count against none.
   * A policy keyed by {@code address} counts the container's remote address (behind a proxy, as its
   * forwarded-header support sets it).
   */
  public ServletVerifier(BearerAuthenticator authenticator, int maxBodyBytes, Outcomes outcomes, RateLimitRules limits,
      RateLimiter limiter) {
    this.limits = Objects.requireNonNull(limits, "limits");
    if (!limits.isEmpty() && limiter == null) {
      throw new IllegalArgumentException("rate limits need a limiter");
    }
    this.limiter = limiter;
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must not be negative");
    }
    this.maxBodyBytes = maxBodyBytes;
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
  }

  /** Verifies {@code request} and consumes its token; the returned request is the one to hand on. */
  public VerifiedRequest verify(HttpServletRequest request) throws RefusedException, IOException {
    long start = System.nanoTime();
    byte[] body;
    try {
      body = readBody(request);
    } catch (RefusedException e) {
      outcomes.record("unknown", "body_too_large", System.nanoTime() - start);
      throw e;
    }
    try {
      Principal p = authenticator.authenticate(new RequestView(request.getMethod(), rawTarget(request), origin(request), body,
          name -> Collections.list(request.getHeaders(name))));
      outcomes.record(p.scheme().wireName(), "ok", System.nanoTime() - start);
      RateLimitOutcome counted = count(request, p);
      VerifiedBodyRequest verified = new VerifiedBodyRequest(request, body, p);
      verified.setAttribute(PRINCIPAL_ATTRIBUTE, p);
      return new VerifiedRequest(verified, p, counted);
    } catch (VerificationException e) {
      outcomes.record(e.scheme() == null ? "unknown" : e.scheme().wireName(), e.failure().code(), System.nanoTime() - start);
      throw new RefusedException(Refusal.of(e));
    }
  }

  /** Counts a verified request against the limits; refuses it 429 over one, 503 when their state cannot be reached. */
  private RateLimitOutcome count(HttpServletRequest request, Principal p) throws RefusedException {
    if (limits.isEmpty()) {
      return RateLimitOutcome.NONE;
    }
    String address = request.getRemoteAddr();
    List<Charge> charges = limits.charges(p, rawTarget(request), address == null ? null : AddressKey.of(address));
    RateLimitOutcome outcome;
    try {
      outcome = limiter.acquire(charges);
    } catch (VerificationException e) {
      throw new RefusedException(Refusal.of(e));
    }
    if (outcome.refused() != null) {
      outcomes.rateLimited(outcome.refused().policy().name());
      throw new RefusedException(Refusal.rateLimited(outcome));
    }
    return outcome;
  }

  /**
   * {@code scheme://host[:port]} as the client addressed the request, which RFC 9421 signatures
   * cover: the container's scheme (behind a proxy, as its forwarded-header support sets it) and the
   * {@code Host} header; null without one.
   */
  public static String origin(HttpServletRequest request) {
    String host = request.getHeader("Host");
    return host == null || host.isEmpty() ? null : request.getScheme() + "://" + host;
  }

  /** Path and query exactly as the client sent them: the container's undecoded request URI. */
  public static String rawTarget(HttpServletRequest request) {
    String query = request.getQueryString();
    return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
  }

  private byte[] readBody(HttpServletRequest request) throws RefusedException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw new RefusedException(Refusal.bodyTooLarge(maxBodyBytes));
    }
    if (declared == 0 || (declared < 0 && noBodyFramed(request))) {
      return EMPTY;
    }
    try (InputStream in = request.getInputStream()) {
      // Read one byte past the limit, never more: a body without a length (chunked) is bounded too.
      byte[] body = in.readNBytes(declared > 0 ? (int) declared + 1 : maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw new RefusedException(Refusal.bodyTooLarge(maxBodyBytes));
      }
      return body.length == 0 ? EMPTY : body;
    }
  }

  /** HTTP/1.x: a request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3). */
  private static boolean noBodyFramed(HttpServletRequest request) {
    String protocol = request.getProtocol();
    return protocol != null && protocol.startsWith("HTTP/1.") && request.getHeader("Transfer-Encoding") == null;
  }
}
