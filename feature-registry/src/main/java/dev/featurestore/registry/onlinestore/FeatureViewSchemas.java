/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;

/**
 * The Avro schema of a feature view's values: a record of the view's features, every one nullable
 * with a null default (so a reader with an added feature resolves old values with it null), plus
 * the event timestamp.
 */
public final class FeatureViewSchemas {
  /** The record field holding the event timestamp (microseconds since the epoch, UTC). */
  public static final String EVENT_TIMESTAMP_FIELD = "__event_timestamp";

  private FeatureViewSchemas() {}

  /** Returns the value schema of a view of a project. */
  public static Schema schemaOf(String project, FeatureView view) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(view.name()).namespace("featurestore." + project).fields();
    for (Feature feature : view.features()) {
      fields =
          fields.name(feature.name()).type(nullable(avroType(feature.type()))).withDefault(null);
    }
    return fields.name(EVENT_TIMESTAMP_FIELD).type(timestampMicros()).noDefault().endRecord();
  }

  /** Returns the 64-bit Avro parsing fingerprint (CRC-64-AVRO of the parsing canonical form). */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** Returns the non-null Avro type for a value type. */
  public static Schema avroType(ValueType type) {
    return switch (type) {
      case INT32 -> Schema.create(Schema.Type.INT);
      case INT64 -> Schema.create(Schema.Type.LONG);
      case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
      case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
      case STRING -> Schema.create(Schema.Type.STRING);
      case BOOL -> Schema.create(Schema.Type.BOOLEAN);
      case BYTES -> Schema.create(Schema.Type.BYTES);
      case TIMESTAMP -> timestampMicros();
      case ARRAY_INT32, ARRAY_INT64, ARRAY_FLOAT32, ARRAY_FLOAT64, ARRAY_STRING ->
          Schema.createArray(nullable(avroType(type.elementType().orElseThrow())));
    };
  }

  private static Schema timestampMicros() {
    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
  }

  private static Schema nullable(Schema schema) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
  }
}
