package dev.signet.servlet;

import dev.signet.limits.RateLimitOutcome;
import dev.signet.verify.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request that passed verification: {@code request} is the one to hand on (its body, read once
 * to be verified, can be read again unchanged, and it names {@code principal} as its user);
 * {@code limits} is what the rate limits said of it, whose fields go on the answer.
 */
public record VerifiedRequest(HttpServletRequest request, Principal principal, RateLimitOutcome limits) {
  public VerifiedRequest(HttpServletRequest request, Principal principal) {
    this(request, principal, RateLimitOutcome.NONE);
  }

  /** Puts the rate limits' {@code RateLimit-Policy} and {@code RateLimit} fields on {@code response}. */
  public void putRateLimitFields(HttpServletResponse response) {
    limits.headers(response::addHeader);
  }
}
