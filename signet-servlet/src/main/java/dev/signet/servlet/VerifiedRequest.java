package dev.signet.servlet;

import dev.signet.verify.Principal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A request that passed verification: {@code request} is the one to hand on (its body, read once
 * to be verified, can be read again unchanged, and it names {@code principal} as its user).
 */
public record VerifiedRequest(HttpServletRequest request, Principal principal) {}
