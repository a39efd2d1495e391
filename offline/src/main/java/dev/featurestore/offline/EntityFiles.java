/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.featurestore.offline.internal.AsOfJoin;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Timestamps;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.SparkTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an entity file: Parquet (a file or folder) as it is, or CSV with a header line. CSV has no
 * types, so its key columns are converted to the join keys' types and its timestamp column is
 * parsed as ISO-8601 ({@code 2024-01-01T10:00:00Z}, {@code 2024-01-01T12:00:00+02:00}, {@code
 * 2024-01-01 10:00:00}, {@code 2024-01-01}); without an offset a timestamp is UTC, whatever the JVM
 * or Spark session time zone. Other CSV columns keep Spark's inferred types.
 */
public final class EntityFiles {
  private static final String ROW = "__featurestore_row";

  private EntityFiles() {}

  /**
   * Checks local entity rows before Spark starts: the file or folder exists and holds rows. A
   * location with another scheme (s3a:, hdfs:) is left to Spark.
   *
   * @param location the entity rows, a {@code file:} URI or a scheme-less path
   * @throws FeatureStoreException INVALID_ARGUMENT when the file or folder does not exist,
   *     INVALID_DATA when it is empty
   */
  public static void checkLocal(String location) {
    Path path;
    try {
      URI uri = URI.create(location);
      if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
        return;
      }
      path = uri.getScheme() == null ? Path.of(location) : Path.of(uri);
    } catch (IllegalArgumentException e) {
      return; // not a URI (e.g. a glob): Spark reports it
    }
    String shown = path.toAbsolutePath().normalize().toString();
    if (!Files.exists(path)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot read entities %s: no such file or folder; --entities takes a Parquet file or"
              + " folder, or a .csv file with a header line",
          shown);
    }
    try {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          if (files.noneMatch(EntityFiles::isDataFile)) {
            throw FeatureStoreException.of(
                ErrorCode.INVALID_DATA,
                "Cannot read entities %s: the folder is empty (no data files)",
                shown);
          }
        }
      } else if (Files.size(path) == 0
          || (shown.toLowerCase(Locale.ROOT).endsWith(".csv")
              && Files.readString(path).isBlank())) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            "Cannot read entities %s: the file is empty; it needs a header line and one entity"
                + " row per line (CSV), or Parquet data",
            shown);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format("Cannot read entities %s: %s", shown, e.getMessage()),
          e);
    }
  }

  private static boolean isDataFile(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && !name.startsWith("_") && !name.startsWith(".");
  }

  /**
   * Reads the entity rows.
   *
   * @param keyTypes entity column to join key type, for CSV conversion
   * @throws FeatureStoreException INVALID_DATA when the file is unreadable or a CSV value cannot be
   *     converted (naming the column and the value)
   */
  public static Dataset<Row> read(
      SparkSession spark, String path, String timestampColumn, Map<String, ValueType> keyTypes) {
    boolean csv = path.toLowerCase(Locale.ROOT).endsWith(".csv");
    try {
      if (!csv) {
        return spark.read().parquet(path);
      }
      return readCsv(spark, path, timestampColumn, keyTypes);
    } catch (FeatureStoreException e) {
      throw e;
    } catch (Exception e) { // AnalysisException (e.g. PATH_NOT_FOUND) is checked
      String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA, String.format("Cannot read entities %s: %s", path, message), e);
    }
  }

  private static Dataset<Row> readCsv(
      SparkSession spark, String path, String timestampColumn, Map<String, ValueType> keyTypes) {
    StructType inferred =
        spark.read().option("header", true).option("inferSchema", true).csv(path).schema();
    List<StructField> fields = new ArrayList<>();
    for (StructField field : inferred.fields()) {
      boolean text = field.name().equals(timestampColumn) || keyTypes.containsKey(field.name());
      fields.add(
          text ? DataTypes.createStructField(field.name(), DataTypes.StringType, true) : field);
    }
    Dataset<Row> raw =
        spark
            .read()
            .option("header", true)
            .option("mode", "FAILFAST")
            .schema(DataTypes.createStructType(fields))
            .csv(path);
    UserDefinedFunction parse =
        udf((UDF1<String, Timestamp>) EntityFiles::parseTimestamp, DataTypes.TimestampType);
    List<Column> columns = new ArrayList<>();
    Column bad = org.apache.spark.sql.functions.lit(false);
    List<Column> badValues = new ArrayList<>();
    for (StructField field : inferred.fields()) {
      Column column = col(AsOfJoin.quote(field.name()));
      Column converted;
      if (field.name().equals(timestampColumn)) {
        converted = parse.apply(column);
      } else if (keyTypes.containsKey(field.name())) {
        // try_cast: a value that is not a number is null here (and reported below), not an ANSI
        // cast failure in an executor.
        converted = column.try_cast(SparkTypes.of(keyTypes.get(field.name())));
      } else {
        columns.add(column);
        continue;
      }
      columns.add(converted.as(field.name()));
      Column failed = column.isNotNull().and(converted.isNull());
      bad = bad.or(failed);
      badValues.add(org.apache.spark.sql.functions.when(failed, column).as(field.name()));
    }
    Dataset<Row> converted = raw.select(columns.toArray(Column[]::new));
    if (!badValues.isEmpty()) {
      badValues.add(org.apache.spark.sql.functions.struct(col("*")).as(ROW));
      List<Row> failures =
          raw.where(bad).select(badValues.toArray(Column[]::new)).limit(1).collectAsList();
      if (!failures.isEmpty()) {
        Row failure = failures.get(0);
        for (int i = 0; i < failure.length() - 1; i++) {
          if (!failure.isNullAt(i)) {
            String column = failure.schema().fields()[i].name();
            if (column.equals(timestampColumn)) {
              throw FeatureStoreException.of(
                  ErrorCode.INVALID_DATA,
                  "Cannot read entities %s: column '%s' has value '%s', which is not an ISO-8601"
                      + " timestamp (e.g. 2024-01-01T10:00:00Z)",
                  path,
                  column,
                  failure.get(i));
            }
            throw FeatureStoreException.of(
                ErrorCode.INVALID_DATA,
                "Cannot read entities %s: column '%s' has value '%s', which is not a valid %s join"
                    + " key (row: %s)",
                path,
                column,
                failure.get(i),
                keyTypes.get(column),
                describe(failure.getStruct(failure.length() - 1)));
          }
        }
      }
    }
    return converted;
  }

  /** A CSV row for messages: {@code driver_id=drv1001, event_timestamp=2024-01-01}. */
  private static String describe(Row row) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      values.add(row.schema().fields()[i].name() + "=" + row.get(i));
    }
    return String.join(", ", values);
  }

  /** Parses a timestamp as {@link Timestamps#parse} does; null when it is not one. */
  static Timestamp parseTimestamp(String text) {
    return Timestamps.parse(text).map(Timestamp::from).orElse(null);
  }
}
