package dev.signet.keys;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One PEM block: its label and DER bytes. Strict: matching labels, valid base64, nothing else. */
public record Pem(String label, byte[] der) {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END ([A-Z0-9 ]+)-----\\s*");

  public static boolean looksLikePem(String text) {
    return text.strip().startsWith("-----BEGIN ");
  }

  public static Pem parse(String text) {
    String t = text.strip().replace("\\n", "\n");
    if (!t.startsWith("-----BEGIN ")) {
      throw new KeyException(KeyException.Reason.ENCODING, "not a PEM block");
    }
    if (!t.contains("-----END ")) {
      throw new KeyException(KeyException.Reason.ENCODING, "truncated PEM: no END line");
    }
    Matcher m = BLOCK.matcher(t);
    if (!m.matches()) {
      throw new KeyException(KeyException.Reason.ENCODING, "malformed PEM block");
    }
    if (!m.group(1).equals(m.group(3))) {
      throw new KeyException(KeyException.Reason.ENCODING, "PEM BEGIN and END labels differ");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new KeyException(KeyException.Reason.ENCODING, "PEM body is not valid base64");
    }
    if (der.length == 0) {
      throw new KeyException(KeyException.Reason.ENCODING, "empty PEM body");
    }
    return new Pem(m.group(1), der);
  }

  public String encode() {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
