/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Reads one view's source rows in a window, checks the columns against the definitions, and
 * projects the columns {@code PartitionWriter} expects: join keys, event and created timestamps as
 * epoch microseconds, then the features. The window filter is on the raw timestamp column, so
 * Parquet pushes it down; only the needed columns are read.
 */
final class SourceReader {
  private SourceReader() {}

  /** One view's rows in the window, and the condition "every join key is set". */
  record ViewRows(Dataset<Row> rows, Column keysPresent, List<Column> keyColumns) {}

  static ViewRows read(
      SparkSession spark,
      FeatureView view,
      ParquetSource source,
      List<JoinKey> joinKeys,
      String location,
      Optional<Instant> start,
      Instant end) {
    Dataset<Row> data;
    try {
      data = spark.read().parquet(location);
    } catch (Exception e) { // AnalysisException is checked, but Scala throws it undeclared.
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "Cannot materialize feature view '%s': cannot read source '%s' at %s: %s",
              view.name(), source.name(), location, firstLine(e.getMessage())),
          e);
    }
    StructType schema = data.schema();
    String where = "source '" + source.name() + "' (" + location + ")";

    List<Column> projection = new ArrayList<>();
    List<Column> keyColumns = new ArrayList<>();
    for (int i = 0; i < joinKeys.size(); i++) {
      JoinKey key = joinKeys.get(i);
      checkType(view, where, schema, key.name(), key.type(), "join key '" + key.name() + "'");
      Column column = col(quote(key.name()));
      if (key.type() == ValueType.INT32 || key.type() == ValueType.INT64) {
        column = column.cast(DataTypes.LongType); // int32 keys are encoded widened to int64
      }
      keyColumns.add(col("k" + i));
      projection.add(column.as("k" + i));
    }
    Column eventTs =
        timestamp(view, where, schema, source.timestampField(), "the event timestamp column");
    projection.add(unix_micros(eventTs).as("event_micros"));
    projection.add(
        source
            .createdTimestampField()
            .map(
                f -> unix_micros(timestamp(view, where, schema, f, "the created timestamp column")))
            .orElse(lit(null).cast("long"))
            .as("created_micros"));
    for (int i = 0; i < view.features().size(); i++) {
      Feature feature = view.features().get(i);
      checkType(
          view,
          where,
          schema,
          feature.sourceColumn(),
          feature.type(),
          "feature '" + feature.name() + "'");
      // The exact Spark type of the value type: the writer reads it with typed getters.
      projection.add(
          col(quote(feature.sourceColumn())).cast(sparkType(feature.type())).as("f" + i));
    }

    Column window = col(quote(source.timestampField())).leq(lit(Timestamp.from(end)));
    if (start.isPresent()) {
      window =
          col(quote(source.timestampField())).geq(lit(Timestamp.from(start.get()))).and(window);
    }
    Dataset<Row> rows = data.filter(window).select(projection.toArray(Column[]::new));
    return new ViewRows(rows, keysPresentAfterProjection(joinKeys.size()), keyColumns);
  }

  private static DataType sparkType(ValueType type) {
    if (type.isArray()) {
      return DataTypes.createArrayType(sparkType(type.elementType().orElseThrow()), true);
    }
    return switch (type) {
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
      case STRING -> DataTypes.StringType;
      case BOOL -> DataTypes.BooleanType;
      case BYTES -> DataTypes.BinaryType;
      default -> DataTypes.TimestampType;
    };
  }

  private static Column keysPresentAfterProjection(int keys) {
    Column present = lit(true);
    for (int i = 0; i < keys; i++) {
      present = present.and(col("k" + i).isNotNull());
    }
    return present;
  }

  private static Column timestamp(
      FeatureView view, String where, StructType schema, String name, String role) {
    DataType type = field(view, where, schema, name, role);
    if (type instanceof TimestampType) {
      return col(quote(name));
    }
    if (type instanceof TimestampNTZType) {
      return col(quote(name)).cast("timestamp");
    }
    throw mismatch(view, where, name, role, type, "a timestamp");
  }

  private static void checkType(
      FeatureView view,
      String where,
      StructType schema,
      String name,
      ValueType expected,
      String role) {
    DataType type = field(view, where, schema, name, role);
    if (!compatible(expected, type)) {
      throw mismatch(view, where, name, role, type, expected.typeName());
    }
  }

  private static boolean compatible(ValueType expected, DataType type) {
    if (expected.isArray()) {
      return type instanceof ArrayType array
          && compatible(expected.elementType().orElseThrow(), array.elementType());
    }
    return switch (expected) {
      case INT32, INT64 ->
          type instanceof org.apache.spark.sql.types.IntegerType
              || type instanceof org.apache.spark.sql.types.LongType
              || type instanceof org.apache.spark.sql.types.ShortType
              || type instanceof org.apache.spark.sql.types.ByteType;
      case FLOAT32, FLOAT64 -> type instanceof NumericType;
      case STRING -> type instanceof StringType;
      case BOOL -> type instanceof BooleanType;
      case BYTES -> type instanceof BinaryType;
      case TIMESTAMP -> type instanceof TimestampType;
      default -> false;
    };
  }

  private static DataType field(
      FeatureView view, String where, StructType schema, String name, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot materialize feature view '%s': %s has no column '%s' for %s%s",
          view.name(),
          where,
          name,
          role,
          Names.didYouMean(name, Arrays.asList(schema.fieldNames())));
    }
    return schema.apply(name).dataType();
  }

  private static FeatureStoreException mismatch(
      FeatureView view, String where, String name, String role, DataType type, String expected) {
    return FeatureStoreException.of(
        ErrorCode.INVALID_DATA,
        "Cannot materialize feature view '%s': column '%s' of %s is %s, but %s must be %s",
        view.name(),
        name,
        where,
        type.simpleString(),
        role,
        expected);
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
