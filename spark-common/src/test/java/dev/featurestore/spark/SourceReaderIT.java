/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceReaderIT {
  private static final ParquetSource SOURCE =
      new ParquetSource("trips_src", "data/trips", "ts", Optional.empty(), "");
  private static final FeatureView VIEW =
      new FeatureView(
          "trips",
          List.of("driver"),
          "trips_src",
          Duration.ZERO,
          true,
          List.of(Feature.of("trips", ValueType.INT64), Feature.of("rate", ValueType.FLOAT64)),
          Map.of(),
          "");
  private static final List<JoinKey> KEYS = List.of(new JoinKey("driver_id", ValueType.INT64));

  @TempDir Path dir;

  private SourceRows read(String location) {
    return SourceReader.read(
        SparkTestSession.get(), "test trips", VIEW, SOURCE, location, KEYS, VIEW.features());
  }

  @Test
  void castsWidenedColumnsAndReadsTimestampsWithoutTimeZoneAsUtcWhateverTheSessionZone() {
    SparkSession spark = SparkTestSession.get();
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.IntegerType)
            .add("ts", DataTypes.TimestampNTZType)
            .add("trips", DataTypes.IntegerType)
            .add("rate", DataTypes.FloatType);
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(1, LocalDateTime.parse("2024-01-01T10:00:00"), 7, 0.5f),
                RowFactory.create(2, LocalDateTime.parse("2024-01-02T10:00:00"), 8, 0.25f)),
            schema)
        .write()
        .parquet(dir.resolve("trips").toString());
    String zone = spark.conf().get("spark.sql.session.timeZone");
    spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
    try {
      SourceRows source = read(dir.resolve("trips").toString());
      List<Row> rows =
          source
              .rows()
              .filter(
                  source.eventTimeWithin(
                      Optional.of(Instant.parse("2024-01-01T09:00:00Z")),
                      Instant.parse("2024-01-01T11:00:00Z")))
              .select(
                  source.column("driver_id", ValueType.INT64),
                  org.apache.spark.sql.functions.unix_micros(source.eventTimestamp()),
                  source.column("trips", ValueType.INT64),
                  source.column("rate", ValueType.FLOAT64))
              .collectAsList();

      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).get(0)).isEqualTo(1L);
      assertThat(rows.get(0).getLong(1))
          .isEqualTo(Instant.parse("2024-01-01T10:00:00Z").getEpochSecond() * 1_000_000L);
      assertThat(rows.get(0).get(2)).isEqualTo(7L);
      assertThat(rows.get(0).get(3)).isEqualTo(0.5d);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
    }
  }

  @Test
  void aNarrowedColumnIsAnErrorInPlansWording() {
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("ts", DataTypes.TimestampType)
            .add("trips", DataTypes.LongType)
            .add("rate", DataTypes.createDecimalType(10, 2));
    SparkTestSession.get()
        .createDataFrame(List.of(), schema)
        .write()
        .parquet(dir.resolve("decimal").toString());

    assertThatThrownBy(() -> read(dir.resolve("decimal").toString()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot test trips: column 'rate' of source 'trips_src' (data/trips) is decimal(10,2)"
                + " but feature 'rate' of feature view 'trips' is float64: decimals are not"
                + " converted; write the column as float64, or as int64 for whole numbers. The"
                + " source no longer matches the view: fix the data or the definition and apply"
                + " again");
  }

  @Test
  void aMissingSourceIsOneLineNamingIt() {
    String missing = dir.resolve("nowhere").toString();

    assertThatThrownBy(() -> read(missing))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot test trips: cannot read source 'trips_src' at "
                + missing
                + ": [PATH_NOT_FOUND] Path does not exist: ")
        .hasMessageNotContaining("\n")
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_DATA));
  }
}
