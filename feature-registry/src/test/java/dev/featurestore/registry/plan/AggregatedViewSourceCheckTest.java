/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source column check of an aggregated view reads the aggregated columns as declared. */
class AggregatedViewSourceCheckTest {
  @TempDir Path dir;

  @AfterEach
  void forgetSchemas() {
    FakeSourceSchemaReader.SCHEMAS.clear();
  }

  private FileFeatureRepo repo() throws IOException {
    return repo("");
  }

  private FileFeatureRepo repo(String moreAggregations) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(
        dir.resolve("features/trips.yaml"),
        """
        entities:
          - {name: driver, join_keys: {driver_id: int64}}
        sources:
          - {name: trips_src, parquet: data/trips, timestamp_field: event_timestamp}
        feature_views:
          - name: driver_trips
            entities: [driver]
            source: trips_src
            aggregations:
              - {name: trips_1h, function: count, window: 1h}
              - {name: fare_avg_7d, function: avg, column: fare, type: float64, window: 7d}
              - {name: riders_7d, function: approx_count_distinct, column: rider_id, type: int64, window: 7d}
        """
            + moreAggregations);
    return FileFeatureRepo.open(dir);
  }

  private static Map<String, String> tripsColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("driver_id", "int64");
    columns.put("event_timestamp", "timestamp");
    columns.put("fare", "float64");
    columns.put("rider_id", "int64");
    return columns;
  }

  @Test
  void aMatchingSourcePasses() throws IOException {
    FileFeatureRepo repo = repo();
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), tripsColumns());

    assertThatCode(() -> Planner.of(repo).plan()).doesNotThrowAnyException();
  }

  @Test
  void aColumnOfAnotherTypeIsReportedAtTheAggregationsColumn() throws IOException {
    FileFeatureRepo repo = repo();
    Map<String, String> columns = tripsColumns();
    columns.put("fare", "string");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), columns);

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 1 problem",
                "features/trips.yaml:11:52: column 'fare' of source 'trips_src' (data/trips) is"
                    + " string but aggregation 'fare_avg_7d' of feature view 'driver_trips' is"
                    + " float64"));
  }

  @Test
  void aMismatchIsReportedBesideABrokenAggregation() throws IOException {
    FileFeatureRepo repo =
        repo(
            "      - {name: fare_sum_90m, function: sum, column: fare, type: float64, window: 90m}\n");
    Map<String, String> columns = tripsColumns();
    columns.put("rider_id", "string");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), columns);

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 2 problems",
                "features/trips.yaml:12:68: column 'rider_id' of source 'trips_src' (data/trips) is"
                    + " string but aggregation 'riders_7d' of feature view 'driver_trips' is int64",
                "features/trips.yaml:13:82: window '90m' of aggregation 'fare_sum_90m' of feature"
                    + " view 'driver_trips' is not a positive multiple of the aggregation interval"
                    + " 1h (windows are whole numbers of intervals, e.g. 1d)"));
  }
}
