/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverFeatures;
import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.materializer.TestSupport.driverStats;
import static dev.featurestore.materializer.TestSupport.micros;
import static dev.featurestore.materializer.TestSupport.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.online.OnlineValueCodec.DecodedValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializerIT {
  private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

  @TempDir Path dir;

  @Test
  void writesTheLatestValuePerKeyAndCountsWhatItSkipped() {
    String project = TestSupport.newProject();
    FeatureView view = driverStats(Duration.ZERO, driverFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            // driver 1: the 10:00 row is the latest.
            driverRow(1L, "2026-11-20T08:00:00Z", "2026-11-20T08:00:00Z", 0.1, 10L),
            driverRow(1L, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z", 0.3, 30L),
            driverRow(1L, "2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z", 0.2, 20L),
            // driver 2: equal event timestamps, the later created wins.
            driverRow(2L, "2026-11-20T12:00:00Z", "2026-11-20T12:00:00Z", 0.5, 50L),
            driverRow(2L, "2026-11-20T12:00:00Z", "2026-11-20T13:00:00Z", 0.6, 60L),
            driverRow(2L, "2026-11-20T12:00:00Z", null, 0.4, 40L),
            // driver 3: only a row after the window, and one inside it with null features.
            driverRow(3L, "2026-11-21T00:00:01Z", "2026-11-21T00:00:01Z", 0.9, 90L),
            driverRow(3L, "2026-11-20T23:59:59Z", null, null, null),
            // driver 4: only a row before the window.
            driverRow(4L, "2026-11-19T23:59:59Z", null, 0.7, 70L),
            // null keys: skipped and counted.
            driverRow(null, "2026-11-20T01:00:00Z", null, 0.8, 80L),
            driverRow(null, "2026-11-20T02:00:00Z", null, 0.8, 80L),
            // driver 5: exactly on both window ends (inclusive); the end one wins.
            driverRow(5L, "2026-11-20T00:00:00Z", null, 1.0, 1L),
            driverRow(5L, "2026-11-21T00:00:00Z", null, 2.0, 2L)));
    Definitions definitions = TestSupport.definitions(project, parquet, view);

    List<ViewSummary> summaries =
        TestSupport.materializer(definitions).materialize(List.of(), START, END);

    assertThat(summaries).hasSize(1);
    ViewSummary summary = summaries.get(0);
    assertThat(summary.view()).isEqualTo("driver_stats");
    assertThat(summary.rowsRead()).isEqualTo(11);
    assertThat(summary.nullKeyRows()).isEqualTo(2);
    assertThat(summary.keysWritten()).isEqualTo(4);
    assertThat(summary.keysNotNewer()).isZero();
    assertThat(summary.expiredSkipped()).isZero();

    assertValue(
        stored(project, view, 1),
        "2026-11-20T10:00:00Z",
        OptionalLong.of(micros("2026-11-20T10:00:00Z")),
        0.3,
        30L);
    assertValue(
        stored(project, view, 2),
        "2026-11-20T12:00:00Z",
        OptionalLong.of(micros("2026-11-20T13:00:00Z")),
        0.6,
        60L);
    assertValue(stored(project, view, 3), "2026-11-20T23:59:59Z", OptionalLong.empty(), null, null);
    assertThat(stored(project, view, 4)).isNull();
    assertValue(stored(project, view, 5), "2026-11-21T00:00:00Z", OptionalLong.empty(), 2.0, 2L);
  }

  static void assertValue(
      DecodedValue value, String event, OptionalLong created, Object... features) {
    assertThat(value).isNotNull();
    assertThat(value.eventMicros()).isEqualTo(micros(event));
    assertThat(value.createdMicros()).isEqualTo(created);
    assertThat(value.values()).isEqualTo(Arrays.asList(features));
  }
}
