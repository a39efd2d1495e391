/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.spark.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} and {@code apply} take the type of an aggregation without {@code type:} from a real
 * Parquet footer, through the {@link ParquetSourceSchemaReader} found with ServiceLoader, and store
 * it in the registry version.
 */
class PlanAggregationTypesFromParquetIT {
  @TempDir Path dir;

  private FileFeatureRepo repo(String aggregations) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: trips\n");
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
        """
            + aggregations);
    return FileFeatureRepo.open(dir);
  }

  private void writeTrips() {
    SparkTestSession.get()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    1001L,
                    Timestamp.from(Instant.parse("2024-01-01T10:00:00Z")),
                    12.5,
                    3L,
                    "airport",
                    (short) 2)),
            DataTypes.createStructType(
                List.of(
                    DataTypes.createStructField("driver_id", DataTypes.LongType, true),
                    DataTypes.createStructField("event_timestamp", DataTypes.TimestampType, true),
                    DataTypes.createStructField("fare", DataTypes.DoubleType, true),
                    DataTypes.createStructField("stops", DataTypes.LongType, true),
                    DataTypes.createStructField("segment", DataTypes.StringType, true),
                    DataTypes.createStructField("seats", DataTypes.ShortType, true))))
        .coalesce(1)
        .write()
        .parquet(dir.resolve("data/trips").toString());
  }

  @Test
  void applyStoresTheInt64Float64AndStringTypesReadFromTheFile() throws IOException {
    FileFeatureRepo repo =
        repo(
            """
                  - {name: fare_sum_24h, function: sum, column: fare, window: 24h}
                  - {name: stops_max_24h, function: max, column: stops, window: 24h}
                  - {name: segment_last_1h, function: last, column: segment, window: 1h}
                  - {name: fares_last2_7d, function: last_n, column: fare, n: 2, window: 7d}
            """);
    writeTrips();
    Planner planner = Planner.of(repo);

    Plan plan = planner.plan();
    assertThat(plan.render())
        .contains(
            "  + feature_view driver_trips\n",
            "Note: Feature view 'driver_trips': column types read from source 'trips_src': fare"
                + " float64 (fare_sum_24h, fares_last2_7d), stops int64 (stops_max_24h), segment"
                + " string (segment_last_1h).\n");
    planner.apply(plan);

    FeatureView stored =
        repo.registry().latest().orElseThrow().definitions().requireFeatureView("driver_trips");
    assertThat(
            stored.aggregations().orElseThrow().aggregations().stream()
                .map(a -> a.name() + ":" + a.columnType().map(Object::toString).orElse("-")))
        .containsExactly(
            "trips_1h:-",
            "fare_sum_24h:float64",
            "stops_max_24h:int64",
            "segment_last_1h:string",
            "fares_last2_7d:float64");
    assertThat(stored.features().stream().map(f -> f.name() + ":" + f.type()))
        .containsExactly(
            "trips_1h:int64",
            "fare_sum_24h:float64",
            "stops_max_24h:int64",
            "segment_last_1h:string",
            "fares_last2_7d:array<float64>");
    assertThat(planner.plan().hasChanges()).isFalse();
  }

  @Test
  void aSourceWithNothingAtItsPathIsAnErrorEvenWhenMissingSourcesAreAllowed() throws IOException {
    FileFeatureRepo repo =
        repo("      - {name: fare_sum_24h, function: sum, column: fare, window: 24h}\n");

    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid definitions: 1 problem"
                + System.lineSeparator()
                + "features/trips.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h'"
                + " of feature view 'driver_trips' comes from source 'trips_src', which cannot be"
                + " read (nothing exists at data/trips) (add type: <one of int32, int64, float32,"
                + " float64>)");
  }

  @Test
  void anInt16ColumnSaysWhichTypeToDeclare() throws IOException {
    FileFeatureRepo repo =
        repo("      - {name: seats_sum_24h, function: sum, column: seats, window: 24h}\n");
    writeTrips();

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid definitions: 1 problem"
                + System.lineSeparator()
                + "features/trips.yaml:11:54: column 'seats' of source 'trips_src' (data/trips) is"
                + " int16, which has no definition type name, for aggregation 'seats_sum_24h' of"
                + " feature view 'driver_trips' (declare a type it is read as: add type: <one of"
                + " int32, int64, float64>)");
  }
}
