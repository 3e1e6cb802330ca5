package dev.signet.verify;

/** The authentication schemes of DESIGN.md, with their wire names. */
public enum Scheme {
  MIXIN_BOT("mixin-bot"),
  MIXIN_OAUTH("mixin-oauth"),
  SERVICE("service"),
  GRAPHENE("graphene");

  private final String wireName;

  Scheme(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
