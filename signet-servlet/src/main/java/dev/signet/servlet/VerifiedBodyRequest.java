package dev.signet.servlet;

import dev.signet.verify.Principal;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verified request as the application sees it: the body bytes that were verified, readable
 * again (as a stream, a reader, or form parameters), and the Signet principal as its user.
 */
final class VerifiedBodyRequest extends HttpServletRequestWrapper {
  private final byte[] body;
  private final Principal principal;
  private Map<String, String[]> parameters;

  VerifiedBodyRequest(HttpServletRequest request, byte[] body, Principal principal) {
    super(request);
    this.body = body;
    this.principal = principal;
  }

  @Override
  public ServletInputStream getInputStream() {
    return new BodyStream(body);
  }

  @Override
  public BufferedReader getReader() {
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
  }

  @Override
  public java.security.Principal getUserPrincipal() {
    return new SignetPrincipal(principal);
  }

  @Override
  public String getRemoteUser() {
    return principal.userId();
  }

  @Override
  public String getAuthType() {
    return "Bearer";
  }

  /** A role is a scope here: {@code isUserInRole("ASSETS:READ")}, with {@code FULL} covering all where it does. */
  @Override
  public boolean isUserInRole(String role) {
    return principal.covers(role);
  }

  // The container parses form bodies from its own stream, which the verifier has read: parse them
  // from the verified bytes instead, together with the query string.

  @Override
  public String getParameter(String name) {
    String[] v = parameters().get(name);
    return v == null ? null : v[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return parameters();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(parameters().keySet());
  }

  @Override
  public String[] getParameterValues(String name) {
    String[] v = parameters().get(name);
    return v == null ? null : v.clone();
  }

  private synchronized Map<String, String[]> parameters() {
    if (parameters == null) {
      Map<String, List<String>> all = new LinkedHashMap<>();
      parse(getQueryString(), StandardCharsets.UTF_8, all);
      String type = getContentType();
      if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        parse(new String(body, StandardCharsets.ISO_8859_1), charset(), all);
      }
      Map<String, String[]> out = new LinkedHashMap<>();
      all.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
      parameters = Collections.unmodifiableMap(out);
    }
    return parameters;
  }

  private static void parse(String encoded, Charset charset, Map<String, List<String>> into) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        into.computeIfAbsent(decode(k, charset), x -> new ArrayList<>()).add(decode(v, charset));
      } catch (IllegalArgumentException badEscape) {
        // Containers skip a malformed pair rather than fail the request; so does this.
      }
    }
  }

  /** Percent-decodes bytes (the form was read as ISO-8859-1, one char per byte), then the charset. */
  private static String decode(String s, Charset charset) {
    return URLDecoder.decode(new String(s.getBytes(StandardCharsets.ISO_8859_1), charset), charset);
  }

  /** The request's declared charset, else UTF-8 (what JSON is, and what Spring Boot sets). */
  private Charset charset() {
    String enc = getCharacterEncoding();
    try {
      return enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
    } catch (IllegalArgumentException unknown) {
      return StandardCharsets.UTF_8;
    }
  }

  private static final class BodyStream extends ServletInputStream {
    private final ByteArrayInputStream in;

    BodyStream(byte[] body) {
      this.in = new ByteArrayInputStream(body);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, len);
    }

    @Override
    public boolean isFinished() {
      return in.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    /** Every byte is already here: the listener hears at once that data is there and that it is all. */
    @Override
    public void setReadListener(ReadListener listener) {
      try {
        if (!isFinished()) {
          listener.onDataAvailable();
        }
        listener.onAllDataRead();
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }
}
