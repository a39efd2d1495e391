/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row counts from Parquet footers, and no estimate where there are none. */
class RowEstimateIT {
  @TempDir Path dir;

  @Test
  void countsTheRowsOfEveryFooterUpToTheSampleAndScalesBeyondIt() {
    SparkSession spark = SparkTestSession.get();
    String few = dir.resolve("few").toString();
    spark.range(0, 1_000, 1, 3).write().parquet(few);
    String many = dir.resolve("many").toString();
    int files = RowEstimate.SAMPLED_FILES * 2;
    spark.range(0, 100L * files, 1, files).write().parquet(many);

    assertThat(RowEstimate.of(spark.read().parquet(few))).hasValue(1_000);
    assertThat(RowEstimate.of(spark.read().parquet(many))).hasValue(100L * files);
  }

  @Test
  void knowsNothingOfCsvOrInMemoryRows() {
    SparkSession spark = SparkTestSession.get();
    String csv = dir.resolve("rows.csv").toString();
    Dataset<Row> rows = spark.range(0, 10).toDF();
    rows.write().option("header", true).csv(csv);

    assertThat(RowEstimate.of(spark.read().option("header", true).csv(csv))).isEmpty();
    assertThat(RowEstimate.of(rows)).isEmpty();
  }
}
