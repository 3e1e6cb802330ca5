/**
 * {@link dev.signet.servlet.SignetFilter}: a Jakarta Servlet 6 filter over the core verifier. It
 * reads the body once, verifies the request as received, and hands the application the same bytes
 * and a {@link dev.signet.servlet.SignetPrincipal}; a refusal never reaches the servlet.
 */
package dev.signet.servlet;
