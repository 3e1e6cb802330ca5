package dev.signet.jwt;

import dev.signet.verify.Failure;
import dev.signet.verify.VerificationException;

/** A syntactically valid JWS whose signature has not been checked yet. */
public final class ParsedJws {
  private final JwsHeader header;
  private final byte[] payload;
  private final byte[] ascii;
  private final int signingInputLength;
  private final byte[] signature;

  ParsedJws(JwsHeader header, byte[] payload, byte[] ascii, int signingInputLength, byte[] signature) {
    this.header = header;
    this.payload = payload;
    this.ascii = ascii;
    this.signingInputLength = signingInputLength;
    this.signature = signature;
  }

  public JwsHeader header() {
    return header;
  }

  /** The unverified payload bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The unverified claims: read them only to find the key, then call {@link #verify(JwsKey)}. */
  public Claims unverifiedClaims() throws VerificationException {
    return Claims.parse(payload);
  }

  /** Checks that the key's algorithm is the header's and that the signature is valid. */
  public void verify(JwsKey key) throws VerificationException {
    if (key.algorithm() != header.algorithm()) {
      throw new VerificationException(Failure.ALGORITHM,
          "token is " + header.algorithm() + " but the key is registered for " + key.algorithm());
    }
    if (!key.verify(signature, ascii, 0, signingInputLength)) {
      throw new VerificationException(Failure.BAD_SIGNATURE, "signature does not verify");
    }
  }
}
