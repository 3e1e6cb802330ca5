package dev.signet.servlet;

import dev.signet.verify.Principal;
import java.util.Objects;

/** A verified Signet {@link Principal} as the Servlet API's {@link java.security.Principal}: its name is the user id. */
public record SignetPrincipal(Principal principal) implements java.security.Principal {
  public SignetPrincipal {
    Objects.requireNonNull(principal, "principal");
  }

  @Override
  public String getName() {
    return principal.userId();
  }
}
