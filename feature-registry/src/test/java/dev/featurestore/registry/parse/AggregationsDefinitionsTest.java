/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code aggregations:} and {@code aggregation_interval:} of a view in definition files. */
class AggregationsDefinitionsTest {
  private static final String HEAD =
      """
      entities:
        - {name: driver, join_keys: {driver_id: int64}}
      sources:
        - {name: trips_src, parquet: data/trips, timestamp_field: event_timestamp}
      feature_views:
        - name: driver_trips
          entities: [driver]
          source: trips_src
      """;

  @TempDir Path dir;

  @Test
  void parsesTheAggregatedView() throws IOException {
    write(
        HEAD
            + """
                aggregation_interval: 1h
                aggregations:
                  - {name: trips_1h, function: count, window: 1h}
                  - {name: fare_sum_24h, function: sum, column: fare, type: float64, window: 24h}
                  - {name: fare_avg_7d, function: avg, column: fare, type: float64, window: 7d}
                  - {name: fare_max_24h, function: max, column: fare, type: float64, window: 24h}
                  - {name: fare_min_1h, function: min, column: fare, type: float64, window: 1h}
                  - {name: fare_std_7d, function: stddev, column: fare, type: float64, window: 7d}
                  - {name: fare_last_24h, function: last, column: fare, type: float64, window: 24h}
                  - name: fares_last3_7d
                    function: last_n
                    column: fare
                    type: float64
                    window: 7d
                    n: 3
                  - {name: riders_7d, function: approx_count_distinct, column: rider_id, type: int64, window: 7d}
            """);

    FeatureView view = FileFeatureRepo.open(dir).definitions().featureViews().get(0);

    assertThat(view).isEqualTo(TestDefinitions.driverTrips());
  }

  @Test
  void theTripsProjectWrittenAsARepoParsesBackEqual() throws IOException {
    Definitions trips = TestDefinitions.tripsProject("p", Path.of("data/trips"));

    TestDefinitions.writeRepo(dir, trips);

    assertThat(FileFeatureRepo.open(dir).definitions()).isEqualTo(trips);
  }

  @Test
  void theIntervalDefaultsToAnHour() throws IOException {
    write(
        HEAD
            + """
                aggregations:
                  - {name: trips_2h, function: count, window: 2h, description: Trips}
            """);

    FeatureView view = FileFeatureRepo.open(dir).definitions().featureViews().get(0);

    assertThat(view.aggregations().orElseThrow().interval())
        .isEqualTo(Aggregations.DEFAULT_INTERVAL);
    assertThat(view.aggregations().orElseThrow().aggregations().get(0).window())
        .isEqualTo(Duration.ofHours(2));
    assertThat(view.feature("trips_2h").orElseThrow().description()).isEqualTo("Trips");
  }

  @Test
  void reportsBadAggregationsWithFileLineAndColumn() throws IOException {
    write(
        HEAD
            + """
                ttl: 2h
                aggregation_interval: 1h
                aggregations:
                  - {name: a, function: sun, column: fare, type: float64, window: 1h}
                  - {name: b, function: sum, column: fare, type: float64, window: 90m}
                  - {name: c, function: sum, column: fare, type: float64, window: 1h, n: 3}
                  - {name: d, function: last_n, column: fare, type: float64, window: 1h, n: 101}
                  - {name: e, function: avg, window: 1h}
                  - {name: f, function: avg, column: segment, type: string, window: 1h}
                  - {name: g, function: count, window: 1h, windw: 2h}
                  - {name: g, function: count, window: 1h}
                  - {name: h, function: max, column: fare, window: 1h, type: decimal}
                  - {name: i, function: last_n, column: fare, type: float64, window: 1h}
            """);

    assertThat(problems())
        .containsExactly(
            "features/v.yaml:9:10: feature view 'driver_trips' has aggregations and a 'ttl' (an aggregated view has no TTL, its windows bound the data; remove 'ttl')",
            "features/v.yaml:12:29: unknown function 'sun' for aggregation 'a' of feature view 'driver_trips' (did you mean 'sum'? functions: count, sum, avg, min, max, stddev, last, last_n, approx_count_distinct)",
            "features/v.yaml:13:71: window '90m' of aggregation 'b' of feature view 'driver_trips' is not a positive multiple of the aggregation interval 1h (windows are whole numbers of intervals, e.g. 1d)",
            "features/v.yaml:14:78: 'n' of aggregation 'c' of feature view 'driver_trips' is only for last_n, not sum (remove 'n')",
            "features/v.yaml:15:81: invalid 'n' 101 of aggregation 'd' of feature view 'driver_trips' (last_n keeps 1 to 100 values)",
            "features/v.yaml:16:9: aggregation 'e' of feature view 'driver_trips' is missing required key 'column' (only a count of rows goes without a column)",
            "features/v.yaml:17:57: function avg of aggregation 'f' of feature view 'driver_trips' does not accept type string (avg accepts int32, int64, float32, float64)",
            "features/v.yaml:18:48: unknown key 'windw' in aggregation 'g' of feature view 'driver_trips' (did you mean 'window'?)",
            "features/v.yaml:19:16: duplicate aggregation 'g' in feature view 'driver_trips' (first defined at features/v.yaml:18:9)",
            "features/v.yaml:20:66: unknown type 'decimal' for aggregation 'h' of feature view 'driver_trips' (valid types: int32, int64, float32, float64, string, bool, bytes, timestamp, array<int32>, array<int64>, array<float32>, array<float64>, array<string>)",
            "features/v.yaml:21:9: aggregation 'i' of feature view 'driver_trips' is missing required key 'n' (last_n keeps the n latest values, 1 to 100)");
  }

  @Test
  void aColumnWithoutATypeParsesAndWaitsForTheSourcesSchema() throws IOException {
    write(
        HEAD
            + """
                aggregations:
                  - {name: trips_1h, function: count, window: 1h}
                  - {name: fare_sum_24h, function: sum, column: fare, window: 24h}
                  - {name: fare_avg_7d, function: avg, column: fare, type: float64, window: 7d}
                  - name: fares_last3_7d
                    function: last_n
                    column: fare
                    window: 7d
                    n: 3
                    description: The latest fares
            """);

    ParseResult read = FileFeatureRepo.open(dir).read();

    assertThat(read.problems()).isEmpty();
    assertThat(read.untypedAggregations())
        .containsExactly(
            new UntypedAggregation(
                "driver_trips",
                1,
                "fare_sum_24h",
                AggregationFunction.SUM,
                "fare",
                Duration.ofHours(24),
                0,
                "",
                new Location("features/v.yaml", 11, 53)),
            new UntypedAggregation(
                "driver_trips",
                3,
                "fares_last3_7d",
                AggregationFunction.LAST_N,
                "fare",
                Duration.ofDays(7),
                3,
                "The latest fares",
                new Location("features/v.yaml", 15, 17)));
    // Until plan or apply reads the types, the view holds only the aggregations with one.
    assertThat(read.parsed().definitions().featureViews().get(0).featureNames())
        .containsExactly("trips_1h", "fare_avg_7d");
    assertThat(problems())
        .containsExactly(
            "features/v.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h' of feature"
                + " view 'driver_trips' is read from the source's schema by plan and apply, not"
                + " when only parsing (run plan or apply, or add type: <one of int32, int64,"
                + " float32, float64>)",
            "features/v.yaml:15:17: type of column 'fare' of aggregation 'fares_last3_7d' of"
                + " feature view 'driver_trips' is read from the source's schema by plan and"
                + " apply, not when only parsing (run plan or apply, or add type: <one of int32,"
                + " int64, float32, float64, string>)");
  }

  @Test
  void anUntypedAggregationNamedAsAJoinKeyIsReported() throws IOException {
    write(
        HEAD
            + """
                aggregations:
                  - {name: driver_id, function: max, column: fare, window: 1h}
            """);

    assertThat(FileFeatureRepo.open(dir).read().problems())
        .map(Object::toString)
        .containsExactly(
            "features/v.yaml:10:9: feature 'driver_id' of feature view 'driver_trips' has the name"
                + " of a join key of entity 'driver' (rename the feature, or read the column under"
                + " another name with source_column)");
  }

  @Test
  void reportsAViewWithBothOrNeitherFeaturesAndAggregations() throws IOException {
    write(
        """
        entities:
          - {name: driver, join_keys: {driver_id: int64}}
        sources:
          - {name: s, parquet: data/s, timestamp_field: ts}
        feature_views:
          - name: both
            entities: [driver]
            source: s
            features: [{name: x, type: float64}]
            aggregations: [{name: y, function: count, window: 1h}]
          - name: neither
            entities: [driver]
            source: s
          - name: interval
            entities: [driver]
            source: s
            aggregation_interval: 1h
            features: [{name: x, type: float64}]
        """);

    assertThat(problems())
        .containsExactly(
            "features/v.yaml:10:19: feature view 'both' has both 'features' and 'aggregations' (a view either reads features or aggregates events; split it into two views)",
            "features/v.yaml:11:5: feature view 'neither' is missing required key 'features' or 'aggregations' (a view lists its features, or the aggregations it computes from events)",
            "features/v.yaml:17:27: 'aggregation_interval' of feature view 'interval' without 'aggregations' (the interval is the tile size of aggregations; remove it)");
  }

  private void write(String text) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(dir.resolve("features/v.yaml"), text);
  }

  private List<String> problems() {
    try {
      FileFeatureRepo.open(dir).definitions();
    } catch (DefinitionException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
    throw new AssertionError("expected problems");
  }
}
