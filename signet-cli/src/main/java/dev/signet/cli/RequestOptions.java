package dev.signet.cli;

import dev.signet.scheme.mixin.MixinBotSigner.TokenOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The request a token is bound to, and the token's own options. */
final class RequestOptions {
  @Option(names = "--method", defaultValue = "GET", description = "HTTP method (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--uri", defaultValue = "/me", description = "path and query, no host (default: ${DEFAULT-VALUE})")
  String uri;

  @Option(names = "--body", description = "request body, or @file / @- (default: empty)")
  String body;

  @Option(names = "--ttl", defaultValue = "300", paramLabel = "SECONDS", description = "seconds until exp (default: ${DEFAULT-VALUE})")
  long ttl;

  @Option(names = "--jti", description = "token id (default: a random UUID)")
  String jti;

  byte[] bodyBytes() {
    return Values.bytes(body);
  }

  TokenOptions tokenOptions(String scope) {
    if (ttl <= 0) {
      throw new IllegalArgumentException("--ttl must be positive");
    }
    return new TokenOptions(Duration.ofSeconds(ttl), scope, jti);
  }
}
