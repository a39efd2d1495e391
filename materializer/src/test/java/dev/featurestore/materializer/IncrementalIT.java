/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.MaterializerIT.assertValue;
import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.materializer.TestSupport.stored;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Watermarks;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalIT {
  @TempDir Path dir;

  @Test
  void startsFromEndMinusTtlThenFromTheWatermark() throws Exception {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ofDays(1), driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    Instant end1 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant end2 = end1.plus(Duration.ofHours(1));
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            // Older than end1 - ttl: not in the first window (and never after).
            driverRow(1L, end1.minus(Duration.ofHours(25)).toString(), null, 0.1, 1L),
            driverRow(2L, end1.minus(Duration.ofHours(2)).toString(), null, 0.2, 2L),
            // After end1: written by the second run only.
            driverRow(2L, end1.plus(Duration.ofMinutes(30)).toString(), null, 0.3, 3L),
            driverRow(3L, end1.plus(Duration.ofMinutes(40)).toString(), null, 0.4, 4L),
            // After end2: not yet.
            driverRow(4L, end2.plus(Duration.ofMinutes(1)).toString(), null, 0.5, 5L)));
    Materializer materializer =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view));
    Watermarks watermarks = FileRegistry.open(dir.resolve("registry")).watermarks();

    ViewSummary first = materializer.materializeIncremental(List.of(), end1, watermarks).get(0);

    assertThat(first.start()).contains(end1.minus(Duration.ofDays(1)));
    assertThat(first.rowsRead()).isEqualTo(1);
    assertThat(first.keysWritten()).isEqualTo(1);
    assertThat(watermarks.read("driver_stats")).contains(end1);
    assertThat(Files.readString(dir.resolve("registry/watermarks/driver_stats.json")))
        .contains("\"watermark\" : \"" + end1 + "\"");
    assertThat(stored(project, view, 1)).isNull();
    assertValue(
        stored(project, view, 2),
        end1.minus(Duration.ofHours(2)).toString(),
        OptionalLong.empty(),
        0.2,
        2L);

    ViewSummary second = materializer.materializeIncremental(List.of(), end2, watermarks).get(0);

    assertThat(second.start()).contains(end1);
    assertThat(second.rowsRead()).isEqualTo(2);
    assertThat(second.keysWritten()).isEqualTo(2);
    assertThat(watermarks.read("driver_stats")).contains(end2);
    assertValue(
        stored(project, view, 2),
        end1.plus(Duration.ofMinutes(30)).toString(),
        OptionalLong.empty(),
        0.3,
        3L);
    assertThat(stored(project, view, 3)).isNotNull();
    assertThat(stored(project, view, 4)).isNull();

    // A watermark already past the end: nothing to do, and it does not move back.
    ViewSummary behind = materializer.materializeIncremental(List.of(), end1, watermarks).get(0);
    assertThat(behind.rowsRead()).isZero();
    assertThat(watermarks.read("driver_stats")).contains(end2);
  }

  @Test
  void startsFromTheEarliestDataWithoutTtl() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            driverRow(1L, "2001-01-01T00:00:00Z", null, 0.1, 1L),
            driverRow(2L, "2026-11-20T00:00:00Z", null, 0.2, 2L)));
    Watermarks watermarks = FileRegistry.open(dir.resolve("registry")).watermarks();

    ViewSummary summary =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view))
            .materializeIncremental(List.of(), Instant.parse("2026-11-21T00:00:00Z"), watermarks)
            .get(0);

    assertThat(summary.start()).isEqualTo(Optional.empty());
    assertThat(summary.keysWritten()).isEqualTo(2);
    assertValue(stored(project, view, 1), "2001-01-01T00:00:00Z", OptionalLong.empty(), 0.1, 1L);
    assertThat(watermarks.read("driver_stats")).contains(Instant.parse("2026-11-21T00:00:00Z"));
  }
}
