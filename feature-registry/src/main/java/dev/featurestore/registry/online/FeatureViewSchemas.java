/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.online;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The Avro schema of a feature view's values: a record of its features, all nullable, plus the
 * event timestamp. PLACEHOLDER in the registry branch: the coordinator's version on main replaces
 * this file (same two static methods).
 */
public final class FeatureViewSchemas {
  /** The field holding the event timestamp (microseconds since the epoch, UTC). */
  public static final String EVENT_TIMESTAMP = "__event_timestamp";

  private FeatureViewSchemas() {}

  /** Returns the value schema of a feature view of a project. */
  public static Schema schemaOf(String project, FeatureView view) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Feature feature : view.features()) {
      Schema nullable =
          Schema.createUnion(Schema.create(Schema.Type.NULL), avroType(feature.type()));
      fields.add(new Schema.Field(feature.name(), nullable, null, Schema.Field.NULL_DEFAULT_VALUE));
    }
    Schema timestamp = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    fields.add(new Schema.Field(EVENT_TIMESTAMP, timestamp));
    return Schema.createRecord(view.name(), null, "dev.featurestore." + project, false, fields);
  }

  /** Returns the 64-bit Avro parsing fingerprint of a schema. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static Schema avroType(ValueType type) {
    if (type.isArray()) {
      return Schema.createArray(avroType(type.elementType().orElseThrow()));
    }
    return switch (type) {
      case INT32 -> Schema.create(Schema.Type.INT);
      case INT64 -> Schema.create(Schema.Type.LONG);
      case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
      case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
      case STRING -> Schema.create(Schema.Type.STRING);
      case BOOL -> Schema.create(Schema.Type.BOOLEAN);
      case BYTES -> Schema.create(Schema.Type.BYTES);
      case TIMESTAMP -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      default -> throw new IllegalArgumentException("Unsupported type: " + type);
    };
  }
}
