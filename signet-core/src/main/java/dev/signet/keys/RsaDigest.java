package dev.signet.keys;

/** The PKCS#1 v1.5 signature hashes Signet allows: RS256 and RS512. */
public enum RsaDigest {
  SHA256("SHA256withRSA"),
  SHA512("SHA512withRSA");

  private final String jdkName;

  RsaDigest(String jdkName) {
    this.jdkName = jdkName;
  }

  String jdkName() {
    return jdkName;
  }
}
