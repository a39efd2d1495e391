/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import dev.featurestore.registry.definition.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Spark's internal values to and from the canonical Java values of {@code feature-aggregation}
 * (INT32 {@link Integer}, INT64 {@link Long}, FLOAT32 {@link Float}, FLOAT64 {@link Double}, STRING
 * {@link String}, BOOL {@link Boolean}, TIMESTAMP {@link Long} epoch micros, which is also Spark's
 * internal form, BYTES {@code byte[]}, arrays as {@link List}).
 */
final class CanonicalValues {
  private CanonicalValues() {}

  /** The canonical value of a row's column of this type; null when the column is null. */
  static Object read(InternalRow row, int ordinal, ValueType type) {
    if (row.isNullAt(ordinal)) {
      return null;
    }
    return switch (type) {
      case INT32 -> row.getInt(ordinal);
      case INT64, TIMESTAMP -> row.getLong(ordinal);
      case FLOAT32 -> row.getFloat(ordinal);
      case FLOAT64 -> row.getDouble(ordinal);
      case STRING -> row.getUTF8String(ordinal).toString();
      case BOOL -> row.getBoolean(ordinal);
      case BYTES -> row.getBinary(ordinal).clone();
      case ARRAY_INT32, ARRAY_INT64, ARRAY_FLOAT32, ARRAY_FLOAT64, ARRAY_STRING ->
          readArray(row.getArray(ordinal), type.elementType().orElseThrow());
    };
  }

  private static List<Object> readArray(ArrayData array, ValueType element) {
    List<Object> values = new ArrayList<>(array.numElements());
    for (int i = 0; i < array.numElements(); i++) {
      if (array.isNullAt(i)) {
        values.add(null);
        continue;
      }
      values.add(
          switch (element) {
            case INT32 -> array.getInt(i);
            case INT64, TIMESTAMP -> array.getLong(i);
            case FLOAT32 -> array.getFloat(i);
            case FLOAT64 -> array.getDouble(i);
            case STRING -> array.getUTF8String(i).toString();
            case BOOL -> array.getBoolean(i);
            case BYTES -> array.getBinary(i).clone();
            default -> throw new IllegalArgumentException("Cannot read nested arrays: " + element);
          });
    }
    return Collections.unmodifiableList(values);
  }

  /** Spark's internal value of a canonical value (null stays null). */
  static Object toInternal(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String string) {
      return UTF8String.fromString(string);
    }
    if (value instanceof List<?> list) {
      Object[] elements = new Object[list.size()];
      for (int i = 0; i < elements.length; i++) {
        elements[i] = toInternal(list.get(i));
      }
      return new GenericArrayData(elements);
    }
    // Integer, Long (also timestamps in micros), Float, Double, Boolean and byte[] are Spark's own.
    return value;
  }
}
