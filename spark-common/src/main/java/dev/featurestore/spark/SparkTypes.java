/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import dev.featurestore.registry.definition.SourceColumns;
import dev.featurestore.registry.definition.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The one mapping between the definitions' value types and Spark SQL types, both ways: the Spark
 * type a value type is held as, and the name a Spark column type has in the definitions' terms
 * (what {@link SourceColumns} checks).
 */
public final class SparkTypes {
  private SparkTypes() {}

  /** Returns the Spark type of a value type ({@code array<T>} as a Spark array of T). */
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

  /** Returns true when a column of type {@code actual} holds exactly the values of {@code type}. */
  public static boolean matches(DataType actual, ValueType type) {
    DataType wanted = of(type);
    if (actual instanceof ArrayType array && wanted instanceof ArrayType wantedArray) {
      return array.elementType().equals(wantedArray.elementType());
    }
    return actual.equals(wanted);
  }

  /**
   * Returns the name of a Spark type in the definitions' terms: {@code int64}, {@code
   * array<float32>}, {@code timestamp}; {@code int8}, {@code int16}, {@code decimal(10,2)}, {@code
   * date}, {@code timestamp_ntz}, {@code struct} or {@code map} for types no definition uses.
   */
  public static String sourceTypeName(DataType type) {
    if (type instanceof ByteType) {
      return "int8";
    } else if (type instanceof ShortType) {
      return "int16";
    } else if (type instanceof IntegerType) {
      return "int32";
    } else if (type instanceof LongType) {
      return "int64";
    } else if (type instanceof FloatType) {
      return "float32";
    } else if (type instanceof DoubleType) {
      return "float64";
    } else if (type instanceof StringType) {
      return "string";
    } else if (type instanceof BooleanType) {
      return "bool";
    } else if (type instanceof BinaryType) {
      return "bytes";
    } else if (type instanceof TimestampType) {
      return "timestamp";
    } else if (type instanceof TimestampNTZType) {
      return "timestamp_ntz";
    } else if (type instanceof DecimalType decimal) {
      return "decimal(" + decimal.precision() + "," + decimal.scale() + ")";
    } else if (type instanceof DateType) {
      return "date";
    } else if (type instanceof ArrayType array) {
      return "array<" + sourceTypeName(array.elementType()) + ">";
    } else if (type instanceof StructType) {
      return "struct";
    } else if (type instanceof MapType) {
      return "map";
    }
    return type.simpleString();
  }

  /** Returns each column's type name ({@link #sourceTypeName}), in schema order. */
  public static Map<String, String> sourceTypeNames(StructType schema) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      columns.put(field.name(), sourceTypeName(field.dataType()));
    }
    return columns;
  }

  /** Returns the type as Spark users read it in messages: {@code bigint}, {@code array<float>}. */
  public static String describe(DataType type) {
    return type.simpleString();
  }
}
