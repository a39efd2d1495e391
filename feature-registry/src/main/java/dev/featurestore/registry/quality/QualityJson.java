/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.io.IOException;

/**
 * The one JSON form of the data-quality records ({@link ViewStatistics}, check results, history
 * runs, drift and verify reports): field names in snake_case ({@code approx_distinct}), an empty
 * {@code Optional}/{@code OptionalLong}/{@code OptionalDouble} as {@code null}, an {@code Instant}
 * as an ISO-8601 string ({@code "2026-12-01T00:00:00Z"}), a value type by its definition-file name
 * ({@code "array<float32>"}), NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}. Reading ignores fields it does not know, so that a newer writer's files stay
 * readable.
 */
public final class QualityJson {
  private static final ObjectMapper MAPPER = newMapper();

  private QualityJson() {}

  /** Returns the configured mapper (shared; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Returns a value as indented JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new FeatureStoreException(
          ErrorCode.INTERNAL_ERROR, "Cannot write JSON of " + value.getClass().getName(), e);
    }
  }

  /**
   * Reads a value of the given type.
   *
   * @throws FeatureStoreException INVALID_DATA when the text is not JSON of that type
   */
  public static <T> T read(String json, Class<T> type) {
    requireNonNull(json, "json is null");
    return read(json, MAPPER.constructType(type));
  }

  /** Reads a value of a generic type (e.g. {@code List<ViewStatistics>}). */
  public static <T> T read(String json, JavaType type) {
    requireNonNull(json, "json is null");
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          "Cannot read "
              + type.getRawClass().getSimpleName()
              + " from JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static ObjectMapper newMapper() {
    SimpleModule valueTypes = new SimpleModule("featurestore-value-types");
    valueTypes.addSerializer(ValueType.class, new ValueTypeSerializer());
    valueTypes.addDeserializer(ValueType.class, new ValueTypeDeserializer());
    return new ObjectMapper()
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .registerModule(valueTypes)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  private static final class ValueTypeSerializer extends JsonSerializer<ValueType> {
    @Override
    public void serialize(ValueType value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeString(value.typeName());
    }
  }

  private static final class ValueTypeDeserializer extends JsonDeserializer<ValueType> {
    @Override
    public ValueType deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String name = parser.getValueAsString();
      return ValueType.fromName(name)
          .orElseThrow(
              () ->
                  context.weirdStringException(
                      name, ValueType.class, "not a value type; one of " + ValueType.names()));
    }
  }
}
