package dev.signet.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import dev.signet.verify.Origin;
import java.util.Locale;

/**
 * RFC 9449 section 4.3: {@code htu} is compared with the request's URI without query and fragment,
 * after RFC 3986 syntax- and scheme-based normalisation: the {@link Origin}, dot segments removed (java.net.URI#normalize), percent-encodings in upper case and unreserved characters
 * decoded, an empty path as {@code /}. Only http and https URIs, with a host, compare at all.
 */
public final class Htu {
  private Htu() {}

  /** The normalised form, or null when {@code uri} is not an absolute http(s) URI with a host. */
  public static String normalize(String uri) {
    URI u;
    try {
      u = new URI(uri).normalize();
    } catch (URISyntaxException e) {
      return null;
    }
    String origin = Origin.of(u);
    if (origin == null || u.getRawUserInfo() != null) {
      return null;
    }
    return origin + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : percent(u.getRawPath()));
  }

  /** Whether two URIs name the same resource by the rules above (false if either is not one). */
  public static boolean same(String a, String b) {
    String na = normalize(a);
    return na != null && na.equals(normalize(b));
  }

  /** Upper-case hex in escapes; escapes of unreserved characters decoded. */
  private static String percent(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {  // URI checked that two hex digits follow
        int v = Integer.parseInt(path.substring(i + 1, i + 3), 16);
        char d = (char) v;
        if ((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') || d == '-' || d == '.' || d == '_' || d == '~') {
          out.append(d);
        } else {
          out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
