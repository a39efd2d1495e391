/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} and {@code apply} take the column type of an aggregation without {@code type:} from
 * its source's schema, or report at its {@code column:} why they cannot.
 */
class AggregationTypesTest {
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
          aggregations:
            - {name: trips_1h, function: count, window: 1h}
      """;

  /** Line 11; its column: value starts at column 53. */
  private static final String UNTYPED_SUM =
      "      - {name: fare_sum_24h, function: sum, column: fare, window: 24h}\n";

  private static final String SUM_HINT = "(add type: <one of int32, int64, float32, float64>)";

  @TempDir Path dir;

  @AfterEach
  void forgetSchemas() {
    FakeSourceSchemaReader.SCHEMAS.clear();
    FakeSourceSchemaReader.FAILURES.clear();
  }

  private FileFeatureRepo repo(String aggregations) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(dir.resolve("features/trips.yaml"), HEAD + aggregations);
    return FileFeatureRepo.open(dir);
  }

  private static Map<String, String> tripsColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("driver_id", "int64");
    columns.put("event_timestamp", "timestamp");
    columns.put("fare", "float64");
    columns.put("rider_id", "int64");
    columns.put("segment", "string");
    return columns;
  }

  private static String problem(String message) {
    return "Invalid definitions: 1 problem" + System.lineSeparator() + message;
  }

  @Test
  void theTypesComeFromTheSourceInDeclarationOrderBesideDeclaredOnes() throws IOException {
    FileFeatureRepo repo =
        repo(
            UNTYPED_SUM
                + "      - {name: fare_avg_7d, function: avg, column: fare, type: float64,"
                + " window: 7d}\n"
                + "      - {name: fares_last3_7d, function: last_n, column: fare, n: 3, window: 7d}\n"
                + "      - {name: riders_7d, function: approx_count_distinct, column: rider_id,"
                + " window: 7d}\n"
                + "      - {name: segment_last_1h, function: last, column: segment, window: 1h}\n");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), tripsColumns());

    Plan plan = Planner.of(repo).plan();
    FeatureView view = plan.definitions().featureViews().get(0);

    Duration hour = Duration.ofHours(1);
    Duration week = Duration.ofDays(7);
    assertThat(view.aggregations().orElseThrow().aggregations())
        .containsExactly(
            new Aggregation(
                "trips_1h",
                AggregationFunction.COUNT,
                Optional.empty(),
                Optional.empty(),
                hour,
                0,
                ""),
            TestDefinitions.aggregation(
                "fare_sum_24h",
                AggregationFunction.SUM,
                "fare",
                ValueType.FLOAT64,
                Duration.ofDays(1)),
            TestDefinitions.aggregation(
                "fare_avg_7d", AggregationFunction.AVG, "fare", ValueType.FLOAT64, week),
            new Aggregation(
                "fares_last3_7d",
                AggregationFunction.LAST_N,
                Optional.of("fare"),
                Optional.of(ValueType.FLOAT64),
                week,
                3,
                ""),
            TestDefinitions.aggregation(
                "riders_7d",
                AggregationFunction.APPROX_COUNT_DISTINCT,
                "rider_id",
                ValueType.INT64,
                week),
            TestDefinitions.aggregation(
                "segment_last_1h", AggregationFunction.LAST, "segment", ValueType.STRING, hour));
    assertThat(view.features().stream().map(f -> f.name() + ":" + f.type()))
        .containsExactly(
            "trips_1h:int64",
            "fare_sum_24h:float64",
            "fare_avg_7d:float64",
            "fares_last3_7d:array<float64>",
            "riders_7d:int64",
            "segment_last_1h:string");
    assertThat(plan.notes())
        .containsExactly(
            "Feature view 'driver_trips': column types read from source 'trips_src': fare float64"
                + " (fare_sum_24h, fares_last3_7d), rider_id int64 (riders_7d), segment string"
                + " (segment_last_1h).");
  }

  @Test
  void applyStoresTheTypesReadAndAChangedColumnTypeIsABreakingChange() throws IOException {
    FileFeatureRepo repo =
        repo(
            UNTYPED_SUM
                + "      - {name: fare_avg_7d, function: avg, column: fare, type: float64,"
                + " window: 7d}\n");
    Map<String, String> columns = tripsColumns();
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), columns);
    Planner planner = Planner.of(repo);
    planner.apply(planner.plan());

    Aggregation stored =
        repo.registry()
            .latest()
            .orElseThrow()
            .definitions()
            .featureViews()
            .get(0)
            .aggregations()
            .orElseThrow()
            .aggregation("fare_sum_24h")
            .orElseThrow();
    assertThat(stored.columnType()).contains(ValueType.FLOAT64);
    assertThat(planner.plan().hasChanges()).isFalse();

    columns.put("fare", "int64");
    Plan plan = planner.plan();

    assertThat(plan.changes().get(0).fields().stream().map(FieldChange::toString))
        .containsExactly(
            "feature_views.driver_trips.features.fare_sum_24h: float64 -> int64  [BREAKING:"
                + " feature type changed (no feature service uses it)]",
            "feature_views.driver_trips.features.fare_sum_24h.type: float64 -> int64  [BREAKING:"
                + " aggregation type changed: stored tiles and values hold the old aggregation (no"
                + " feature service uses it)]");
  }

  @Test
  void aSourceWithoutDataIsAnErrorAtTheColumn() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h' of"
                    + " feature view 'driver_trips' comes from source 'trips_src', which cannot be"
                    + " read (no data at data/trips yet) "
                    + SUM_HINT));
  }

  @Test
  void aMissingSourceIsAnErrorEvenWhenMissingSourcesAreAllowed() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);
    FakeSourceSchemaReader.FAILURES.put(
        repo.resolve("data/trips"),
        FeatureStoreException.of(ErrorCode.NOT_FOUND, "nothing exists at data/trips"));

    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h' of"
                    + " feature view 'driver_trips' comes from source 'trips_src', which cannot be"
                    + " read (nothing exists at data/trips) "
                    + SUM_HINT));
  }

  @Test
  void aCorruptSourceIsAnErrorAtTheSourceAndAtTheColumn() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);
    FakeSourceSchemaReader.FAILURES.put(
        repo.resolve("data/trips"),
        new FeatureStoreException(
            ErrorCode.INVALID_DATA, "cannot read the Parquet footer of part-0.parquet: too short"));

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 2 problems",
                "features/trips.yaml:4:32: Cannot read the schema of source 'trips_src'"
                    + " (data/trips): cannot read the Parquet footer of part-0.parquet: too short",
                "features/trips.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h' of"
                    + " feature view 'driver_trips' comes from source 'trips_src', which cannot be"
                    + " read (cannot read the Parquet footer of part-0.parquet: too short) "
                    + SUM_HINT));
  }

  @Test
  void withoutASchemaReaderItIsAnError() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);

    assertThatThrownBy(() -> Planner.of(repo, List.of()).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:11:53: type of column 'fare' of aggregation 'fare_sum_24h' of"
                    + " feature view 'driver_trips' comes from source 'trips_src', which cannot be"
                    + " read (no source schema reader on the class path; the offline module"
                    + " provides one) "
                    + SUM_HINT));
  }

  private String problemWith(Function<Map<String, String>, Map<String, String>> edit, String line)
      throws IOException {
    FileFeatureRepo repo = repo(line);
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), edit.apply(tripsColumns()));
    try {
      Planner.of(repo).plan();
    } catch (DefinitionException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0).toString();
    }
    throw new AssertionError("expected a problem");
  }

  @Test
  void aMissingColumnNamesTheColumnsPresentOrTheClosestOne() throws IOException {
    assertThat(
            problemWith(
                c -> {
                  c.remove("fare");
                  return c;
                },
                UNTYPED_SUM))
        .isEqualTo(
            "features/trips.yaml:11:53: source 'trips_src' (data/trips) has no column 'fare' for"
                + " aggregation 'fare_sum_24h' of feature view 'driver_trips' (columns: driver_id,"
                + " event_timestamp, rider_id, segment)");
    assertThat(
            problemWith(
                c -> {
                  c.put("fares", c.remove("fare"));
                  return c;
                },
                UNTYPED_SUM))
        .isEqualTo(
            "features/trips.yaml:11:53: source 'trips_src' (data/trips) has no column 'fare' for"
                + " aggregation 'fare_sum_24h' of feature view 'driver_trips' (did you mean"
                + " 'fares'?)");
  }

  @Test
  void aTypeTheFunctionDoesNotAcceptIsWordedAsForADeclaredType() throws IOException {
    assertThat(
            problemWith(
                c -> {
                  c.put("fare", "string");
                  return c;
                },
                UNTYPED_SUM))
        .isEqualTo(
            "features/trips.yaml:11:53: function sum of aggregation 'fare_sum_24h' of feature view"
                + " 'driver_trips' does not accept type string (sum accepts int32, int64, float32,"
                + " float64; string is the type of column 'fare' in source 'trips_src'"
                + " (data/trips))");
  }

  @Test
  void aColumnTypeWithoutADefinitionTypeNameSaysWhatToDeclare() throws IOException {
    assertThat(
            problemWith(
                c -> {
                  c.put("fare", "int16");
                  return c;
                },
                UNTYPED_SUM))
        .isEqualTo(
            "features/trips.yaml:11:53: column 'fare' of source 'trips_src' (data/trips) is int16,"
                + " which has no definition type name, for aggregation 'fare_sum_24h' of feature"
                + " view 'driver_trips' (declare a type it is read as: add type: <one of int32,"
                + " int64, float64>)");
    assertThat(
            problemWith(
                c -> {
                  c.put("fare", "decimal(10,2)");
                  return c;
                },
                UNTYPED_SUM))
        .isEqualTo(
            "features/trips.yaml:11:53: column 'fare' of source 'trips_src' (data/trips) is"
                + " decimal(10,2), which has no definition type name, for aggregation"
                + " 'fare_sum_24h' of feature view 'driver_trips' (decimals are not converted;"
                + " write the column as float64, or as int64 for whole numbers)");
    assertThat(
            problemWith(
                c -> {
                  c.put("fare", "struct");
                  return c;
                },
                "      - {name: fare_sum_24h, function: last, column: fare, window: 24h}\n"))
        .isEqualTo(
            "features/trips.yaml:11:54: column 'fare' of source 'trips_src' (data/trips) is"
                + " struct, which has no definition type name, for aggregation 'fare_sum_24h' of"
                + " feature view 'driver_trips' (last accepts int32, int64, float32, float64,"
                + " string, bool, bytes, timestamp: write the column as one of them)");
  }

  @Test
  void anUnsignedColumnIsReadAsTheSignedTypeSparkReads() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);
    Map<String, String> columns = tripsColumns();
    columns.put("fare", "uint32");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), columns);

    assertThat(
            Planner.of(repo)
                .plan()
                .definitions()
                .featureViews()
                .get(0)
                .feature("fare_sum_24h")
                .orElseThrow()
                .type())
        .isEqualTo(ValueType.INT64);
  }

  @Test
  void anUnknownSourceIsReportedOnceWhereTheViewNamesIt() throws IOException {
    FileFeatureRepo repo = repo(UNTYPED_SUM);
    Path file = dir.resolve("features/trips.yaml");
    Files.writeString(
        file, Files.readString(file).replace("source: trips_src", "source: trip_src"));

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:8:13: feature view 'driver_trips' references unknown source"
                    + " 'trip_src' (did you mean 'trips_src'?)"));
  }

  @Test
  void aDuplicateViewsUntypedAggregationsAreLeftWithIt() throws IOException {
    FileFeatureRepo repo =
        repo(
            UNTYPED_SUM
                + """
                  - name: driver_trips
                    entities: [driver]
                    source: trips_src
                    aggregations:
                      - {name: other, function: max, column: nope, window: 1h}
                      - {name: more, function: max, column: fare, window: 1h}
                """);
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), tripsColumns());

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:12:5: duplicate feature view 'driver_trips' (first defined at"
                    + " features/trips.yaml:6:5)"));
  }

  @Test
  void anAggregationAfterOneWhoseTypeCannotBeReadIsStillTyped() throws IOException {
    FileFeatureRepo repo =
        repo(
            "      - {name: a_max, function: max, column: nope, window: 1h}\n"
                + "      - {name: b_max, function: max, column: fare, window: 1h}\n");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/trips"), tripsColumns());

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            problem(
                "features/trips.yaml:11:46: source 'trips_src' (data/trips) has no column 'nope'"
                    + " for aggregation 'a_max' of feature view 'driver_trips' (columns: driver_id,"
                    + " event_timestamp, fare, rider_id, segment)"));
  }
}
