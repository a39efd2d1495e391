/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FeatureVector;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import java.io.OutputStream;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link GetOnlineFeaturesResponse} with Jackson's streaming generator, byte for byte as
 * the mapper's data binding writes it (see ResponseWriterTest), without its per-value serializer
 * lookups: the value lists hold boxed numbers, strings, booleans, nulls and lists of those.
 */
final class ResponseWriter {
  private static final SerializableString METADATA = new SerializedString("metadata");
  private static final SerializableString FEATURE_NAMES = new SerializedString("feature_names");
  private static final SerializableString RESULTS = new SerializedString("results");
  private static final SerializableString VALUES = new SerializedString("values");
  private static final SerializableString STATUSES = new SerializedString("statuses");
  private static final SerializableString EVENT_TIMESTAMPS =
      new SerializedString("event_timestamps");
  private static final SerializableString[] STATUS_NAMES = statusNames();

  private final JsonMapper json;

  ResponseWriter(JsonMapper json) {
    this.json = json;
  }

  /** Writes a response as JSON to {@code out}. */
  void write(GetOnlineFeaturesResponse response, OutputStream out) {
    try (JsonGenerator generator = json.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeName(METADATA);
      generator.writeStartObject();
      generator.writeName(FEATURE_NAMES);
      writeStrings(generator, response.metadata().featureNames());
      generator.writeEndObject();
      generator.writeName(RESULTS);
      generator.writeStartArray();
      for (FeatureVector vector : response.results()) {
        generator.writeStartObject();
        generator.writeName(VALUES);
        writeValues(generator, vector.values());
        generator.writeName(STATUSES);
        generator.writeStartArray();
        for (FieldStatus status : vector.statuses()) {
          if (status == null) {
            generator.writeNull();
          } else {
            generator.writeString(STATUS_NAMES[status.ordinal()]);
          }
        }
        generator.writeEndArray();
        generator.writeName(EVENT_TIMESTAMPS);
        writeStrings(generator, vector.eventTimestamps());
        generator.writeEndObject();
      }
      generator.writeEndArray();
      generator.writeEndObject();
    }
  }

  private static void writeStrings(JsonGenerator generator, List<String> strings) {
    generator.writeStartArray();
    for (String string : strings) {
      if (string == null) {
        generator.writeNull();
      } else {
        generator.writeString(string);
      }
    }
    generator.writeEndArray();
  }

  private static void writeValues(JsonGenerator generator, List<?> values) {
    generator.writeStartArray();
    for (Object value : values) {
      writeValue(generator, value);
    }
    generator.writeEndArray();
  }

  private static void writeValue(JsonGenerator generator, Object value) {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Double number) {
      generator.writeNumber(number.doubleValue());
    } else if (value instanceof Long number) {
      generator.writeNumber(number.longValue());
    } else if (value instanceof Integer number) {
      generator.writeNumber(number.intValue());
    } else if (value instanceof String string) {
      generator.writeString(string);
    } else if (value instanceof Boolean bool) {
      generator.writeBoolean(bool);
    } else if (value instanceof List<?> list) {
      writeValues(generator, list);
    } else {
      generator.writePOJO(value);
    }
  }

  private static SerializableString[] statusNames() {
    FieldStatus[] statuses = FieldStatus.values();
    SerializableString[] names = new SerializableString[statuses.length];
    for (FieldStatus status : statuses) {
      names[status.ordinal()] = new SerializedString(status.name());
    }
    return names;
  }
}
