/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.convert_timezone;
import static org.apache.spark.sql.functions.current_timezone;
import static org.apache.spark.sql.functions.lit;

import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.TimestampNTZType;

/**
 * A source opened and checked by {@link SourceReader}: its rows (nothing read yet) and the columns
 * as the definitions declare them. A column read by lossless widening is cast to its declared type
 * (an {@code int32} column of an {@code int64} feature gives a Spark {@code bigint}); a timestamp
 * without time zone is read as UTC.
 */
public final class SourceRows {
  private final Dataset<Row> rows;
  private final ParquetSource source;

  SourceRows(Dataset<Row> rows, ParquetSource source) {
    this.rows = requireNonNull(rows, "rows is null");
    this.source = requireNonNull(source, "source is null");
  }

  /** Returns the source rows as read, every column with its type in the data. */
  public Dataset<Row> rows() {
    return rows;
  }

  /**
   * Returns a column as its declared type: the Spark type of {@code type} (see {@link
   * SparkTypes#of}), cast when the data holds a narrower type the rule reads.
   */
  public Column column(String name, ValueType type) {
    DataType actual = rows.schema().apply(name).dataType();
    Column column = col(quote(name));
    if (actual instanceof TimestampNTZType && type == ValueType.TIMESTAMP) {
      // Wall-clock time read as UTC, whatever the session time zone.
      return convert_timezone(lit("UTC"), current_timezone(), column).cast(DataTypes.TimestampType);
    }
    DataType wanted = SparkTypes.of(type);
    return actual.equals(wanted) ? column : column.cast(wanted);
  }

  /** Returns the event timestamp column as a Spark {@code timestamp}. */
  public Column eventTimestamp() {
    return column(source.timestampField(), ValueType.TIMESTAMP);
  }

  /** Returns the created timestamp column as a Spark {@code timestamp}, when the source has one. */
  public Optional<Column> createdTimestamp() {
    return source.createdTimestampField().map(c -> column(c, ValueType.TIMESTAMP));
  }

  /**
   * Returns the condition "the event timestamp is in [start, end]" on the column as stored, with
   * literal bounds, so that Parquet skips row groups outside it.
   */
  public Column eventTimeWithin(Optional<Instant> start, Instant end) {
    Column raw = col(quote(source.timestampField()));
    boolean local =
        rows.schema().apply(source.timestampField()).dataType() instanceof TimestampNTZType;
    Column within = raw.leq(bound(end, local));
    if (start.isPresent()) {
      within = raw.geq(bound(start.get(), local)).and(within);
    }
    return within;
  }

  private static Column bound(Instant instant, boolean local) {
    return local
        ? lit(LocalDateTime.ofInstant(instant, ZoneOffset.UTC))
        : lit(Timestamp.from(instant));
  }

  /** Quotes a column name for Spark ({@code `a.b`}), so dots and spaces are not parsed. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
