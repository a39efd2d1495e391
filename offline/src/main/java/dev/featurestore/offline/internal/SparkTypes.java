/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import dev.featurestore.registry.definition.ValueType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Maps the definitions' value types to Spark SQL types. */
public final class SparkTypes {
  private SparkTypes() {}

  /** Returns the Spark type of a value type ({@code array<T>} as a Spark array). */
  public static DataType of(ValueType type) {
    return switch (type) {
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
      case STRING -> DataTypes.StringType;
      case BOOL -> DataTypes.BooleanType;
      case BYTES -> DataTypes.BinaryType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case ARRAY_INT32, ARRAY_INT64, ARRAY_FLOAT32, ARRAY_FLOAT64, ARRAY_STRING ->
          DataTypes.createArrayType(of(type.elementType().orElseThrow()), true);
    };
  }

  /** Returns true when a column of type {@code actual} holds values of {@code expected}. */
  public static boolean matches(DataType actual, ValueType expected) {
    DataType wanted = of(expected);
    if (actual instanceof ArrayType array && wanted instanceof ArrayType wantedArray) {
      return array.elementType().equals(wantedArray.elementType());
    }
    return actual.equals(wanted);
  }

  /** Returns a test for a column holding values of {@code expected}. */
  public static java.util.function.Predicate<org.apache.spark.sql.types.StructField> matches(
      ValueType expected) {
    return field -> matches(field.dataType(), expected);
  }

  /** Returns the type as users read it in messages: {@code bigint}, {@code array<float>}. */
  public static String describe(DataType type) {
    return type.simpleString();
  }
}
