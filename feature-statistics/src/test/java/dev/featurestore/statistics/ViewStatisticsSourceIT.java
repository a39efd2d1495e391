/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A view's source rows in a window, read as the definitions declare them. */
class ViewStatisticsSourceIT {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  /** int32 column {@code n} (0..9, hour h) read as the int64 feature {@code count}; a bool. */
  Definitions definitions() {
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("n", DataTypes.IntegerType)
            .add("ok", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < 10; h++) {
      rows.add(RowFactory.create(1L, Timestamp.from(T0.plusSeconds(3600L * h)), h, h % 3 == 0));
    }
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .write()
        .parquet(dir.resolve("src").toString());
    FeatureView view =
        TestDefinitions.view(
            "v",
            "driver",
            "src",
            Duration.ofHours(1),
            new Feature("count", ValueType.INT64, "n", ""),
            Feature.of("ok", ValueType.BOOL));
    return new Definitions(
        "p",
        List.of(TestDefinitions.driver()),
        List.of(TestDefinitions.source("src", "src")),
        List.of(view),
        List.of());
  }

  @Test
  void readsTheWindowWithRenamedAndWidenedColumnsAndAllowedSets() {
    Definitions definitions = definitions();
    FeatureView view = definitions.requireFeatureView("v");

    StatisticsInput input =
        ViewStatisticsSource.read(
            SparkTestSession.get(),
            definitions,
            view,
            path -> dir.resolve(path).toString(),
            Optional.of(T0.plusSeconds(3600L * 2)),
            T0.plusSeconds(3600L * 5),
            Map.of("ok", Set.of("true")));
    ViewStatistics statistics =
        SparkStatistics.compute(
            input.rows(), input.columns(), "v", Optional.of(T0), T0.plusSeconds(3600L * 5));

    // hours 2, 3, 4, 5 (both ends inclusive): n 2..5, ok only at hour 3
    assertThat(statistics.rows()).isEqualTo(4);
    assertThat(statistics.feature("count").orElseThrow().numbers().orElseThrow().min())
        .isEqualTo(2);
    assertThat(statistics.feature("count").orElseThrow().numbers().orElseThrow().max())
        .isEqualTo(5);
    assertThat(statistics.feature("ok").orElseThrow().disallowed()).hasValue(3);
    assertThat(statistics.feature("ok").orElseThrow().disallowedExamples())
        .containsExactly("false");
    assertThat(statistics.feature("count").orElseThrow().disallowed()).isEmpty();
  }

  @Test
  void aMissingSourceColumnIsAnErrorNamingIt() {
    Definitions definitions = definitions();
    FeatureView view =
        TestDefinitions.view(
            "v", "driver", "src", Duration.ofHours(1), Feature.of("count", ValueType.INT64));

    assertThatThrownBy(
            () ->
                ViewStatisticsSource.read(
                    SparkTestSession.get(),
                    definitions,
                    view,
                    path -> dir.resolve(path).toString(),
                    Optional.empty(),
                    T0))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot compute statistics of feature view 'v': source 'src' (src) has no column"
                + " 'count' for feature 'count' of feature view 'v'");
  }
}
