package dev.signet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads Wycheproof vector files from the test resources. */
public final class Wycheproof {
  private Wycheproof() {}

  /** One test case with the group it belongs to. */
  public record Case(JsonNode group, JsonNode test) {
    public int id() {
      return test.get("tcId").asInt();
    }

    public String result() {
      return test.get("result").asText();
    }

    public String hex(String field) {
      return test.get(field).asText();
    }

    @Override
    public String toString() {
      return "tcId " + id() + " (" + test.path("comment").asText() + ", " + result() + ")";
    }
  }

  public static List<Case> cases(String file) {
    try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource wycheproof/" + file);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<Case> out = new ArrayList<>();
      for (JsonNode g : root.get("testGroups")) {
        for (JsonNode t : g.get("tests")) {
          out.add(new Case(g, t));
        }
      }
      if (out.size() != root.get("numberOfTests").asInt()) {
        throw new IllegalStateException(file + ": read " + out.size() + " cases, file declares " + root.get("numberOfTests"));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
