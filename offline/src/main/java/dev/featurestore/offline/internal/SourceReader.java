/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Opens a view's Parquet source and checks that its schema still matches the view. */
public final class SourceReader {
  private SourceReader() {}

  /**
   * Returns the source rows (not read yet: Spark only lists the files and reads a footer).
   *
   * @throws FeatureStoreException INVALID_DATA when the source is unreadable or its schema lacks a
   *     column the view needs or holds it with another type
   */
  public static Dataset<Row> read(
      SparkSession spark,
      FeatureView view,
      ParquetSource source,
      URI location,
      List<JoinKey> joinKeys,
      List<Feature> features) {
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(location.toString());
    } catch (Exception e) { // AnalysisException (e.g. PATH_NOT_FOUND) is a checked exception
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "Cannot read source '%s' of feature view '%s' at %s: %s",
              source.name(), view.name(), location, firstLine(e.getMessage())),
          e);
    }
    StructType schema = rows.schema();
    for (JoinKey key : joinKeys) {
      check(
          schema,
          source,
          view,
          location,
          key.name(),
          "join key",
          SparkTypes.matches(key.type()),
          key.type().typeName());
    }
    check(
        schema,
        source,
        view,
        location,
        source.timestampField(),
        "event timestamp",
        SourceReader::isTimestamp,
        "timestamp");
    Optional<String> created = source.createdTimestampField();
    if (created.isPresent()) {
      check(
          schema,
          source,
          view,
          location,
          created.get(),
          "created timestamp",
          SourceReader::isTimestamp,
          "timestamp");
    }
    for (Feature feature : features) {
      check(
          schema,
          source,
          view,
          location,
          feature.sourceColumn(),
          "feature '" + feature.name() + "'",
          SparkTypes.matches(feature.type()),
          feature.type().typeName());
    }
    return rows;
  }

  private static boolean isTimestamp(StructField field) {
    return field.dataType().equals(DataTypes.TimestampType);
  }

  private static void check(
      StructType schema,
      ParquetSource source,
      FeatureView view,
      URI location,
      String column,
      String role,
      java.util.function.Predicate<StructField> typeMatches,
      String expected) {
    StructField field = null;
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        field = f;
      }
    }
    if (field == null) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot read source '%s' of feature view '%s' at %s: it has no column '%s' (the %s);"
              + " columns present: %s. The source no longer matches the view: fix the data or the"
              + " definition and apply again",
          source.name(),
          view.name(),
          location,
          column,
          role,
          String.join(", ", schema.fieldNames()));
    }
    if (!typeMatches.test(field)) {
      String hint =
          field.dataType().equals(DataTypes.TimestampNTZType)
              ? " (a timestamp without time zone; write it with isAdjustedToUTC=true or set"
                  + " spark.sql.parquet.inferTimestampNTZ.enabled=false to read it as UTC)"
              : "";
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot read source '%s' of feature view '%s' at %s: column '%s' (the %s) is %s, but the"
              + " view expects %s%s. The source no longer matches the view: fix the data or the"
              + " definition and apply again",
          source.name(),
          view.name(),
          location,
          column,
          role,
          SparkTypes.describe(field.dataType()),
          expected,
          hint);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
