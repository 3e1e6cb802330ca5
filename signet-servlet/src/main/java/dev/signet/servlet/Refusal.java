package dev.signet.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.limits.RateLimitOutcome;
import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request refused before it reached the application, written as the seeds' envelope
 * {@code {"error":{"status","code","description"}}} with RFC 6750's {@code WWW-Authenticate}.
 *
 * @param failure the verifier's check that failed, or null for a refusal that is no check's (413, 429)
 * @param headers fields the answer carries besides the envelope's ({@code Retry-After}, {@code RateLimit})
 */
public record Refusal(int status, String description, Failure failure, List<Map.Entry<String, String>> headers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Refusal {
    headers = List.copyOf(headers);
  }

  public Refusal(int status, String description, Failure failure) {
    this(status, description, failure, List.of());
  }

  public static Refusal of(VerificationException e) {
    return new Refusal(e.failure().httpStatus(), e.getMessage(), e.failure());
  }

  /** 429 by a rate limit: the seeds' envelope, {@code Retry-After} and every decided limit's fields. */
  public static Refusal rateLimited(RateLimitOutcome outcome) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("Retry-After", Long.toString(outcome.retryAfterSeconds())));
    outcome.headers((name, value) -> fields.add(Map.entry(name, value)));
    return new Refusal(429, outcome.description(), null, fields);
  }

  public static Refusal bodyTooLarge(int limit) {
    return new Refusal(413, "body_too_large: limit is " + limit + " bytes", null);
  }

  /** The envelope as JSON bytes. */
  public byte[] body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("status", status);
    error.put("code", status);
    error.put("description", description);
    try {
      return JSON.writeValueAsBytes(Map.of("error", error));
    } catch (IOException e) {
      // A map of an int and two strings always serialises.
      throw new IllegalStateException(e);
    }
  }

  /** The {@code WWW-Authenticate} challenge for this refusal, or null where none applies. */
  public String challenge() {
    if (failure == Failure.SCOPE) {
      return "Bearer error=\"insufficient_scope\"";
    }
    return status == 401 ? "Bearer error=\"invalid_token\"" : null;
  }

  /** Writes status, challenge and envelope, unless the response is already committed. */
  public void writeTo(HttpServletResponse response) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    if (challenge() != null) {
      response.setHeader("WWW-Authenticate", challenge());
    }
    response.setHeader("Cache-Control", "no-store");
    for (Map.Entry<String, String> h : headers) {
      response.addHeader(h.getKey(), h.getValue());
    }
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    byte[] body = body();
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
