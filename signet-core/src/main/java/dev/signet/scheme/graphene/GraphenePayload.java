package dev.signet.scheme.graphene;

import dev.signet.codec.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * A Graphene login payload (seed 004):
 * {@code user:link:auth_identifier:network:block_num:block_id:signature}, where the signature is a
 * 65-byte compact signature over SHA-256 of the first six parts joined by colons.
 */
public record GraphenePayload(String user, String link, String authIdentifier, String network,
    long blockNum, String blockId, byte[] signature) {
  /** Graphene account names: 3 to 16 characters of a-z, 0-9, '-' and '.'. */
  private static final Pattern ACCOUNT = Pattern.compile("[a-z][a-z0-9.-]{2,15}");
  private static final Pattern FIELD = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]{1,128}");
  private static final Pattern BLOCK_ID = Pattern.compile("[0-9a-f]{40}");
  /** Lower-case only, as the block id: one spelling per payload. */
  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{130}");
  public static final int MAX_LENGTH = 1024;

  public GraphenePayload {
    signature = signature == null ? null : signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** Parses and checks the shape of every part; the signature is not checked here. */
  public static GraphenePayload parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("payload is empty or longer than " + MAX_LENGTH);
    }
    String[] p = text.split(":", -1);
    if (p.length != 7) {
      throw new IllegalArgumentException("payload must have 7 colon-separated parts, has " + p.length);
    }
    if (!ACCOUNT.matcher(p[0]).matches()) {
      throw new IllegalArgumentException("part 1 is not a Graphene account name");
    }
    for (int i = 1; i <= 3; i++) {
      if (!FIELD.matcher(p[i]).matches()) {
        throw new IllegalArgumentException("part " + (i + 1) + " is empty or has characters outside printable ASCII");
      }
    }
    if (!p[4].matches("[1-9][0-9]{0,9}")) {
      throw new IllegalArgumentException("part 5 must be a block number");
    }
    if (!BLOCK_ID.matcher(p[5]).matches()) {
      throw new IllegalArgumentException("part 6 must be a 40-character lower-case hex block id");
    }
    if (!SIGNATURE.matcher(p[6]).matches()) {
      throw new IllegalArgumentException("part 7 must be a 65-byte lower-case hex signature");
    }
    return new GraphenePayload(p[0], p[1], p[2], p[3], Long.parseLong(p[4]), p[5], Hex.decode(p[6]));
  }

  /** The signed message: the first six parts joined by colons. */
  public String message() {
    return String.join(":", user, link, authIdentifier, network, Long.toString(blockNum), blockId);
  }

  public byte[] messageHash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** The full 7-part payload. */
  public String encode() {
    return message() + ":" + Hex.encode(signature);
  }

  /** Block numbers are 32-bit on Graphene chains; the block id starts with the number in hex. */
  public boolean blockIdMatchesNumber() {
    return Long.parseLong(blockId.substring(0, 8), 16) == blockNum;
  }
}
