package dev.signet.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The one JSON configuration Signet reads untrusted input with: duplicate keys, trailing content,
 * non-standard syntax and deep nesting are all errors. The mapper is immutable once built.
 */
public final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(32).maxNumberLength(64).maxStringLength(1 << 20).build())
      .build();
  private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .nodeFactory(new FiniteNumbers())
      .build();

  private StrictJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses one JSON object; throws {@link IllegalArgumentException} with a reason otherwise. */
  public static ObjectNode parseObject(byte[] json) {
    return asObject(read(json));
  }

  public static ObjectNode parseObject(String json) {
    try {
      return asObject(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException(describe(e));
    }
  }

  private static JsonNode read(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(describe(e));
    }
  }

  private static ObjectNode asObject(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("JSON is not an object");
    }
    return (ObjectNode) node;
  }

  /** Serialises a map with its iteration order kept, compact, as tokens are written. */
  public static byte[] write(Map<String, ?> value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Refuses numbers a double cannot hold: {@code 1e999} would otherwise read as Infinity, a value no
   * JSON text can spell, so it could not be written back (found by {@code StrictJsonFuzzTest}).
   */
  private static final class FiniteNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public NumericNode numberNode(double v) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(OUT_OF_RANGE);
      }
      return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(float v) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(OUT_OF_RANGE);
      }
      return super.numberNode(v);
    }
  }

  private static final String OUT_OF_RANGE = "JSON number out of range";

  /** A reason without the input echoed back (inputs may hold secrets). */
  private static String describe(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains(OUT_OF_RANGE)) {
      return OUT_OF_RANGE;
    }
    if (m.contains("Duplicate field")) {
      return "duplicate JSON key";
    }
    if (m.contains("Trailing token")) {
      return "trailing data after JSON";
    }
    return "malformed JSON";
  }
}
