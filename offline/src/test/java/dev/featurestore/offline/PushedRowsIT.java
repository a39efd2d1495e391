/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.TestData.at;
import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.frame;
import static dev.featurestore.offline.TestData.row;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.offline.TestData.writeParquet;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.offlinestore.append.ParquetAppender;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows pushed to the offline store (the online service's {@code POST /push} with {@code "to":
 * "offline"}, which appends through {@link ParquetAppender}) are in later training sets, next to
 * the rows Spark wrote (INT96 timestamps), and a re-sent push changes nothing.
 */
class PushedRowsIT {
  @TempDir Path dir;

  @Test
  void trainingSetsSeePushedRowsAndIgnoreRepeatedPushes() {
    Definitions definitions =
        new Definitions(
            "rides",
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(
                new ParquetSource(
                    "driver_pushes",
                    "driver_pushes",
                    "event_timestamp",
                    Optional.empty(),
                    "",
                    true)),
            List.of(
                view(
                    "driver_live",
                    List.of("driver"),
                    "driver_pushes",
                    ofHours(10),
                    feature("conv_rate", ValueType.FLOAT64),
                    feature("city", ValueType.STRING))),
            List.of());
    Path folder = dir.resolve("driver_pushes");
    writeParquet(
        folder,
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("conv_rate", DataTypes.DoubleType),
            field("city", DataTypes.StringType)),
        row(1L, at(ofHours(0)), 0.1, "Oslo"),
        row(2L, at(ofHours(0)), 0.2, "Lima"));
    List<ParquetAppender.Column> pushed =
        List.of(
            new ParquetAppender.Column("driver_id", ValueType.INT64, List.of(1L, 3L)),
            new ParquetAppender.Column(
                "event_timestamp",
                ValueType.TIMESTAMP,
                List.of(TestData.T0.plus(ofHours(2)), TestData.T0.plus(ofHours(1)))),
            new ParquetAppender.Column("conv_rate", ValueType.FLOAT64, List.of(0.7, 0.3)),
            new ParquetAppender.Column("city", ValueType.STRING, List.of("Rome", "Bern")));
    HistoricalFeatures features =
        HistoricalFeatures.of(SparkTestSession.get(), definitions, p -> dir.resolve(p).toUri());
    Dataset<Row> entities =
        frame(
            schema(
                field("driver_id", DataTypes.LongType),
                field("event_timestamp", DataTypes.TimestampType)),
            row(1L, at(ofHours(1))),
            row(1L, at(ofHours(3))),
            row(2L, at(ofHours(3))),
            row(3L, at(ofHours(3))));

    ParquetAppender.append("source 'driver_pushes'", folder, pushed);
    List<String> once =
        rows(
            features.historicalFeatures(
                entities, List.of("driver_live:*"), TrainingSetOptions.defaults()));
    ParquetAppender.append("source 'driver_pushes'", folder, pushed);
    List<String> twice =
        rows(
            features.historicalFeatures(
                entities, List.of("driver_live:*"), TrainingSetOptions.defaults()));

    assertThat(once)
        .containsExactly(
            "1 | 2024-01-01 01:00:00.0 | 0.1 | Oslo",
            "1 | 2024-01-01 03:00:00.0 | 0.7 | Rome",
            "2 | 2024-01-01 03:00:00.0 | 0.2 | Lima",
            "3 | 2024-01-01 03:00:00.0 | 0.3 | Bern");
    assertThat(twice).isEqualTo(once);
  }

  private static List<String> rows(Dataset<Row> result) {
    List<String> rows = new ArrayList<>();
    for (Row row : result.collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        values.add(String.valueOf(row.get(i)));
      }
      rows.add(String.join(" | ", values));
    }
    rows.sort(null);
    return rows;
  }
}
