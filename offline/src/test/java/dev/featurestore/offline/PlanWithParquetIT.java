/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} on real Parquet footers, through the reader found with ServiceLoader. */
class PlanWithParquetIT {
  @TempDir Path dir;

  private void writeHourlyStats(Path repo, DataType convRate, Object rate) {
    SparkTestSession.get()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    1L,
                    Timestamp.from(Instant.parse("2024-01-01T10:00:00Z")),
                    Timestamp.from(Instant.parse("2024-01-01T10:00:00Z")),
                    rate,
                    0.5f,
                    7)),
            DataTypes.createStructType(
                List.of(
                    DataTypes.createStructField("driver_id", DataTypes.LongType, true),
                    DataTypes.createStructField("event_timestamp", DataTypes.TimestampType, true),
                    DataTypes.createStructField("created", DataTypes.TimestampType, true),
                    DataTypes.createStructField("conv_rate", convRate, true),
                    DataTypes.createStructField("acc_rate", DataTypes.FloatType, true),
                    DataTypes.createStructField("avg_daily_trips", DataTypes.IntegerType, true))))
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(repo.resolve("data/driver_hourly_stats").toString());
  }

  @Test
  void readsAnInt32ColumnForAnInt64FeatureAndRejectsADecimalWithTheSharedMessage() {
    Path root = TestRepos.copyOfExample("rides", dir);
    FileFeatureRepo repo = FileFeatureRepo.open(root);
    writeHourlyStats(root, DataTypes.DoubleType, 0.5);

    assertThat(Planner.of(repo).allowingMissingSources().plan().notes())
        .containsExactly(
            "Source 'customer_profile_src': nothing at data/customer_profile yet"
                + " (--allow-missing-sources), its columns were not checked.",
            "Source 'driver_daily_src': nothing at data/driver_daily yet"
                + " (--allow-missing-sources), its columns were not checked.",
            "Source 'trips_src': nothing at data/trips yet (--allow-missing-sources), its columns"
                + " were not checked.");

    writeHourlyStats(root, DataTypes.createDecimalType(10, 2), new BigDecimal("0.50"));
    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid definitions: 1 problem"
                + System.lineSeparator()
                + "features/driver.yaml:18:33: column 'conv_rate' of source"
                + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is decimal(10,2) but"
                + " feature 'conv_rate' of feature view 'driver_hourly_stats' is float64: decimals"
                + " are not converted; write the column as float64, or as int64 for whole"
                + " numbers");
  }

  @Test
  void aCorruptSourceIsAnErrorAtItsParquetLine() throws Exception {
    Path root = TestRepos.copyOfExample("rides", dir);
    Path file =
        Files.writeString(
            Files.createDirectories(root.resolve("data/driver_hourly_stats"))
                .resolve("part-0.parquet"),
            "not parquet");

    assertThatThrownBy(() -> Planner.of(FileFeatureRepo.open(root)).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid definitions: 1 problem"
                + System.lineSeparator()
                + "features/driver.yaml:3:14: Cannot read the schema of source"
                + " 'driver_hourly_stats_src' (data/driver_hourly_stats): cannot read the Parquet"
                + " footer of "
                + file.toUri().toString().replace("///", "/")
                + ": "
                + file.toUri().toString().replace("///", "/")
                + " is not a Parquet file (length is too low: 11)");
  }

  @Test
  void aMissingSourceIsAnErrorByDefault() {
    Path root = TestRepos.copyOfExample("rides", dir);
    writeHourlyStats(root, DataTypes.DoubleType, 0.5);

    assertThatThrownBy(() -> Planner.of(FileFeatureRepo.open(root)).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining(
            "features/customer.yaml:3:14: Cannot find source 'customer_profile_src': nothing"
                + " exists at data/customer_profile (")
        .hasMessageContaining(
            "(check the parquet: path, or pass --allow-missing-sources when its data is written"
                + " later)")
        .hasMessageContaining("features/trips.yaml:3:14: Cannot find source 'trips_src'")
        .hasMessageStartingWith("Invalid definitions: 3 problems");
  }
}
