/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generated driver data for drift tests: one view {@code driver_stats} with a number of each kind
 * (conv_rate float64 ~ N(0.5, 0.1), trips int64 uniform 0..19), a string (segment: gold 20%, silver
 * 30%, bronze 50%), a bool (active 70%) and an array (skipped), from a seed.
 */
final class DriftTestData {
  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
  static final List<String> REFERENCES =
      List.of(
          "driver_stats:conv_rate",
          "driver_stats:trips",
          "driver_stats:segment",
          "driver_stats:active",
          "driver_stats:embedding");
  static final List<String> COLUMNS =
      List.of(
          "driver_id", "event_timestamp", "conv_rate", "trips", "segment", "active", "embedding");
  static final StructType SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("conv_rate", DataTypes.DoubleType)
          .add("trips", DataTypes.LongType)
          .add("segment", DataTypes.StringType)
          .add("active", DataTypes.BooleanType)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));

  /** How a generated sample differs from the training distribution. */
  record Plant(double convRateShift, double newSegmentShare) {
    static final Plant NONE = new Plant(0, 0);
  }

  private DriftTestData() {}

  static Definitions definitions(Path source) {
    return new Definitions(
        "drift",
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(source("driver_source", source.toString())),
        List.of(
            view(
                "driver_stats",
                "driver",
                "driver_source",
                Duration.ofDays(1),
                feature("conv_rate", ValueType.FLOAT64),
                feature("trips", ValueType.INT64),
                feature("segment", ValueType.STRING),
                feature("active", ValueType.BOOL),
                feature("embedding", ValueType.ARRAY_FLOAT32))),
        List.of());
  }

  /** {@code n} rows one second apart from {@code start}. */
  static List<Row> rows(long seed, int n, Instant start, Plant plant) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double segment = random.nextDouble();
      rows.add(
          RowFactory.create(
              (long) (i % 100),
              Timestamp.from(start.plusSeconds(i)),
              0.5 + 0.1 * random.nextGaussian() + plant.convRateShift(),
              (long) random.nextInt(20),
              segment < plant.newSegmentShare()
                  ? "platinum"
                  : segment < 0.2 ? "gold" : segment < 0.5 ? "silver" : "bronze",
              random.nextDouble() < 0.7,
              List.of(random.nextFloat(), random.nextFloat()).toArray(new Float[0])));
    }
    return rows;
  }

  static void write(List<Row> rows, StructType schema, Path folder) {
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(3)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(folder.toString());
  }

  static TrainingSet trainingSet(Path folder) {
    return TrainingSet.ofManifest(folder.toUri().toString(), REFERENCES, COLUMNS);
  }
}
