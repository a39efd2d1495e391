/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.featurestore.feast.protocol.types.ValueProto.DoubleList;
import dev.featurestore.feast.protocol.types.ValueProto.FloatList;
import dev.featurestore.feast.protocol.types.ValueProto.Int32List;
import dev.featurestore.feast.protocol.types.ValueProto.Int64List;
import dev.featurestore.feast.protocol.types.ValueProto.RepeatedValue;
import dev.featurestore.feast.protocol.types.ValueProto.StringList;
import dev.featurestore.feast.protocol.types.ValueProto.Value;
import dev.featurestore.online.lookup.ValueEncoding;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between Feast's {@code feast.types.Value} and the lookup's Java values: request
 * entities in, as the REST endpoint's JSON parser would give them (so the planner checks and words
 * them the same way), and feature values out.
 */
final class FeastValues {
  /** An absent value (no {@code val} set): Feast's null, for missing and null features. */
  static final Value NULL = Value.getDefaultInstance();

  private static final String EPOCH = "1970-01-01T00:00:00Z";

  private FeastValues() {}

  /**
   * A request's entity columns as the lookup takes them: int32/int64 values as numbers, strings as
   * strings, bytes as base64 (as REST's JSON carries them), an unset value as null; other kinds
   * pass as their Java value, so the planner refuses them with REST's message.
   */
  static Map<String, List<Object>> entities(Map<String, RepeatedValue> columns) {
    Map<String, List<Object>> entities = new LinkedHashMap<>(columns.size() * 2);
    for (Map.Entry<String, RepeatedValue> column : columns.entrySet()) {
      List<Value> values = column.getValue().getValList();
      List<Object> converted = new ArrayList<>(values.size());
      for (int row = 0; row < values.size(); row++) {
        Value value = values.get(row);
        if (value.getValCase() == Value.ValCase.UNIX_TIMESTAMP_VAL) {
          // No JSON counterpart, so no REST message to share: a join key is never a timestamp.
          throw FeatureStoreException.of(
              ErrorCode.INVALID_ARGUMENT,
              "Cannot get online features: join key '%s' has a unix_timestamp_val at row %d; join"
                  + " keys take int64_val, int32_val, string_val or bytes_val",
              column.getKey(),
              row);
        }
        converted.add(entity(value));
      }
      entities.put(column.getKey(), converted);
    }
    return entities;
  }

  private static Object entity(Value value) {
    return switch (value.getValCase()) {
      case INT32_VAL -> value.getInt32Val();
      case INT64_VAL -> value.getInt64Val();
      case STRING_VAL -> value.getStringVal();
      case BYTES_VAL -> Base64.getEncoder().encodeToString(value.getBytesVal().toByteArray());
      case DOUBLE_VAL -> value.getDoubleVal();
      case FLOAT_VAL -> (double) value.getFloatVal();
      case BOOL_VAL -> value.getBoolVal();
      case BYTES_LIST_VAL,
          STRING_LIST_VAL,
          INT32_LIST_VAL,
          INT64_LIST_VAL,
          DOUBLE_LIST_VAL,
          FLOAT_LIST_VAL,
          BOOL_LIST_VAL,
          UNIX_TIMESTAMP_LIST_VAL ->
          List.of();
      case NULL_VAL, VAL_NOT_SET, UNIX_TIMESTAMP_VAL -> null; // timestamps: refused above
    };
  }

  /**
   * The encoding of one request's answer: its join key columns are the request's own values, as
   * Feast's servers echo them; features are {@link #value} of their type.
   */
  static ValueEncoding encoding(Map<String, RepeatedValue> entities) {
    return new ValueEncoding() {
      @Override
      @SuppressWarnings("unchecked")
      public List<Object> joinKey(String name, List<Object> values) {
        RepeatedValue column = entities.get(name);
        return column == null ? List.of() : (List<Object>) (List<?>) column.getValList();
      }

      @Override
      public Object feature(ValueType type, Object value) {
        return value(type, value);
      }
    };
  }

  /**
   * A decoded feature value of {@code type} as Feast's {@code Value}: float32 as {@code float_val},
   * float64 as {@code double_val}, timestamps as whole epoch seconds ({@code unix_timestamp_val}),
   * arrays as the matching list; null as an unset value. A null element inside an array becomes its
   * type's zero value, as protobuf lists cannot hold null.
   */
  static Value value(ValueType type, Object value) {
    if (value == null) {
      return NULL;
    }
    Value.Builder builder = Value.newBuilder();
    switch (type) {
      case INT32 -> builder.setInt32Val((Integer) value);
      case INT64 -> builder.setInt64Val((Long) value);
      case FLOAT32 -> builder.setFloatVal((Float) value);
      case FLOAT64 -> builder.setDoubleVal((Double) value);
      case STRING -> builder.setStringVal((String) value);
      case BOOL -> builder.setBoolVal((Boolean) value);
      case BYTES -> builder.setBytesVal(ByteString.copyFrom((byte[]) value));
      case TIMESTAMP -> builder.setUnixTimestampVal(seconds((Long) value));
      case ARRAY_INT32 -> {
        Int32List.Builder list = Int32List.newBuilder();
        items(value).forEach(item -> list.addVal(item == null ? 0 : (Integer) item));
        builder.setInt32ListVal(list);
      }
      case ARRAY_INT64 -> {
        Int64List.Builder list = Int64List.newBuilder();
        items(value).forEach(item -> list.addVal(item == null ? 0L : (Long) item));
        builder.setInt64ListVal(list);
      }
      case ARRAY_FLOAT32 -> {
        FloatList.Builder list = FloatList.newBuilder();
        items(value).forEach(item -> list.addVal(item == null ? 0f : (Float) item));
        builder.setFloatListVal(list);
      }
      case ARRAY_FLOAT64 -> {
        DoubleList.Builder list = DoubleList.newBuilder();
        items(value).forEach(item -> list.addVal(item == null ? 0d : (Double) item));
        builder.setDoubleListVal(list);
      }
      case ARRAY_STRING -> {
        StringList.Builder list = StringList.newBuilder();
        items(value).forEach(item -> list.addVal(item == null ? "" : (String) item));
        builder.setStringListVal(list);
      }
    }
    return builder.build();
  }

  /**
   * An event timestamp of the lookup's answer (RFC 3339, UTC) as a protobuf timestamp; the epoch
   * (join keys, missing values) as the default one.
   */
  static Timestamp timestamp(String text) {
    if (EPOCH.equals(text)) {
      return Timestamp.getDefaultInstance();
    }
    Instant instant = Instant.parse(text);
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static List<?> items(Object value) {
    return (List<?>) value;
  }

  private static long seconds(long micros) {
    return Math.floorDiv(micros, 1_000_000L);
  }
}
