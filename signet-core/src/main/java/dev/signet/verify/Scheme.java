package dev.signet.verify;

/** The authentication schemes of DESIGN.md, with their wire names. */
public enum Scheme {
  MIXIN_BOT("mixin-bot"),
  MIXIN_OAUTH("mixin-oauth"),
  SERVICE("service"),
  GRAPHENE("graphene"),
  /** RFC 9421 HTTP Message Signatures by a registered session key ({@code keyid} = session id). */
  HTTP_SIGNATURE("http-signature");

  private final String wireName;

  Scheme(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
