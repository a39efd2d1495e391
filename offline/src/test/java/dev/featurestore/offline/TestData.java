/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Builders for small Spark datasets in tests (definitions: the registry's TestDefinitions). */
final class TestData {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private TestData() {}

  static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static StructType schema(StructField... fields) {
    return DataTypes.createStructType(fields);
  }

  static Timestamp ts(Instant instant) {
    return Timestamp.from(instant);
  }

  static Timestamp at(Duration offset) {
    return Timestamp.from(T0.plus(offset));
  }

  static Row row(Object... values) {
    return RowFactory.create(values);
  }

  static Dataset<Row> frame(StructType schema, Row... rows) {
    return SparkTestSession.get().createDataFrame(Arrays.asList(rows), schema);
  }

  static void writeParquet(Path path, StructType schema, Row... rows) {
    frame(schema, rows).coalesce(1).write().parquet(path.toString());
  }
}
