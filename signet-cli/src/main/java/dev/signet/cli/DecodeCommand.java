package dev.signet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.codec.Base64Url;
import dev.signet.json.StrictJson;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Print a token's header and claims as JSON, without verifying anything (marked \"verified\": false).")
final class DecodeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOKEN", description = "the token, or @file / @-")
  String token;

  @Override
  public void run() {
    String t = Values.trimmed(token);
    String[] parts = t.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("malformed: a compact JWS has exactly three parts");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("verified", false);
    out.put("header", json(parts[0], "header"));
    out.put("claims", json(parts[1], "claims"));
    spec.commandLine().getOut().println(Json.of(out));
  }

  private static ObjectNode json(String part, String what) {
    try {
      return StrictJson.parseObject(Base64Url.decode(part));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed: " + what + ": " + e.getMessage());
    }
  }
}
