package dev.signet.scheme.httpsig;

import dev.signet.verify.Failure;
import dev.signet.verify.Origin;
import dev.signet.verify.RequestView;
import dev.signet.verify.VerificationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * RFC 9421 section 2.5: the bytes a signature covers, built from the request for the components
 * a {@code Signature-Input} lists. Derived components {@code @method @target-uri @authority @scheme
 * @request-target @path @query}, and header fields by lower-case name (values trimmed, several
 * lines joined with ", "). Component parameters ({@code ;sf}, {@code ;key}, {@code ;req}, ...)
 * and {@code @query-param} are not supported and refuse the signature.
 */
final class SignatureBase {
  private SignatureBase() {}

  static byte[] build(StructuredFields.InnerList covered, RequestView r) throws VerificationException {
    StringBuilder b = new StringBuilder();
    Set<String> seen = new HashSet<>();
    for (StructuredFields.Item item : covered.items()) {
      String name = component(item);
      if (!seen.add(name)) {
        throw malformed("component " + name + " is listed twice");
      }
      b.append('"').append(name).append("\": ").append(value(name, r)).append('\n');
    }
    b.append("\"@signature-params\": ").append(StructuredFields.serialize(covered));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String component(StructuredFields.Item item) throws VerificationException {
    if (!(item.value() instanceof String name) || name.isEmpty()) {
      throw malformed("covered components are strings");
    }
    if (!item.params().isEmpty()) {
      throw malformed("component parameters (" + String.join(", ", item.params().keySet()) + ") are not supported");
    }
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      throw malformed("component names are lower case");
    }
    return name;
  }

  private static String value(String name, RequestView r) throws VerificationException {
    int q = r.target().indexOf('?');
    switch (name) {
      case "@method":
        return r.method();
      case "@request-target":
        return r.target();
      case "@path": {
        String path = q < 0 ? r.target() : r.target().substring(0, q);
        return path.isEmpty() ? "/" : path;
      }
      case "@query":
        return q < 0 ? "?" : r.target().substring(q);
      case "@target-uri":
        return origin(r) + r.target();
      case "@scheme": {
        String o = normalizedOrigin(r);
        return o.substring(0, o.indexOf("://"));
      }
      case "@authority": {
        String o = normalizedOrigin(r);
        return o.substring(o.indexOf("://") + 3);
      }
      default:
        if (name.startsWith("@")) {
          throw malformed("component " + name + " is not supported");
        }
        List<String> lines = r.headers().apply(name);
        if (lines == null || lines.isEmpty()) {
          throw new VerificationException(Failure.REQUEST_MISMATCH, "covered header " + name + " is not in the request");
        }
        StringBuilder v = new StringBuilder();
        for (String line : lines) {
          if (v.length() > 0) {
            v.append(", ");
          }
          v.append(line.strip());
        }
        return v.toString();
    }
  }

  private static String origin(RequestView r) throws VerificationException {
    if (r.origin() == null) {
      throw new VerificationException(Failure.REQUEST_MISMATCH, "the request's origin is unknown (no Host header)");
    }
    return r.origin();
  }

  /** The request's {@link Origin}: scheme and host in lower case, the port unless it is the default. */
  private static String normalizedOrigin(RequestView r) throws VerificationException {
    String o;
    try {
      o = Origin.of(new URI(origin(r)));
    } catch (URISyntaxException e) {
      o = null;
    }
    if (o == null) {
      throw new VerificationException(Failure.REQUEST_MISMATCH, "the request's origin is not scheme://host[:port]");
    }
    return o;
  }

  static VerificationException malformed(String detail) {
    return new VerificationException(Failure.MALFORMED, detail);
  }
}
