/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  @TempDir Path dir;

  @AfterEach
  void forgetSchemas() {
    FakeSourceSchemaReader.SCHEMAS.clear();
  }

  static Map<String, String> hourlyColumns() {
    Map<String, String> columns = new HashMap<>();
    columns.put("driver_id", "int64");
    columns.put("event_timestamp", "timestamp");
    columns.put("created", "timestamp");
    columns.put("conv_rate", "float64");
    columns.put("acc_rate", "float32");
    columns.put("avg_daily_trips", "int64");
    return columns;
  }

  @Test
  void firstPlanAddsEverythingAndNotesThatSourcesWereNotChecked() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));

    Plan plan = Planner.of(repo, List.of()).plan();

    assertThat(plan.base()).isEmpty();
    assertThat(plan.render())
        .isEqualTo(
            """
            Project 'rides': nothing applied yet.

              + entity customer
              + entity driver
              + source customer_profile_src
              + source driver_daily_src
              + source driver_hourly_stats_src
              + source trips_src
              + feature_view customer_profile
              + feature_view driver_daily
              + feature_view driver_hourly_stats
              + feature_view driver_trips
              + feature_service driver_ranking

            Plan: 11 to add, 0 to change, 0 to remove.
            Note: No source schema reader on the class path: source columns were not checked\
             (the offline module provides one).
            """);
  }

  @Test
  void planAfterApplyShowsNoChangesThenTheEdit() throws IOException {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Planner planner = Planner.of(repo, List.of());
    assertThat(planner.apply(planner.plan()).version().number()).isEqualTo(1);

    assertThat(planner.plan().hasChanges()).isFalse();

    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("ttl: 2h", "ttl: 1h"));
    Plan plan = planner.plan();

    assertThat(plan.base().orElseThrow().number()).isEqualTo(1);
    assertThat(plan.breakingCount()).isEqualTo(1);
    assertThat(plan.render())
        .contains(
            """
              ~ feature_view driver_hourly_stats
                  feature_views.driver_hourly_stats.ttl: 2h -> 1h  [BREAKING: TTL shortened:\
             values expire sooner]

            Plan: 0 to add, 1 to change, 0 to remove; 1 breaking change.
            """);
  }

  @Test
  void aReaderFailureIsReportedAtTheSource() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    SourceSchemaReader broken =
        source -> {
          throw new IllegalStateException("not a Parquet file: " + dir.relativize(Path.of(source)));
        };

    assertThatThrownBy(() -> Planner.of(repo, List.of(broken)).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining(
            "features/customer.yaml:3:14: Cannot read the schema of source 'customer_profile_src'"
                + " (data/customer_profile): not a Parquet file: data/customer_profile");
  }

  @Test
  void anEmptyRepoPlansAndAppliesNothing() throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: empty\n");
    FileFeatureRepo repo = FileFeatureRepo.open(dir);

    Plan plan = Planner.of(repo).plan();

    assertThat(plan.hasChanges()).isFalse();
    assertThat(plan.render())
        .isEqualTo(
            "Project 'empty': nothing applied yet.\n\nNo changes: the repo defines no objects"
                + " yet.\n");
    assertThat(dir.resolve(".featurestore")).doesNotExist();
  }

  @Test
  void theInstalledReaderIsFoundWithServiceLoader() {
    assertThat(SourceSchemas.installedReaders())
        .hasAtLeastOneElementOfType(FakeSourceSchemaReader.class);
  }

  @Test
  void reportsMissingColumnsAndTypeMismatchesWithTheSourceAndColumn() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Map<String, String> hourly = hourlyColumns();
    hourly.put("conv_rate", "float32");
    hourly.put("acc_rate", "float64");
    hourly.remove("avg_daily_trips");
    hourly.put("avg_daily_trip", "int64");
    hourly.put("driver_id", "string");
    hourly.remove("created");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourly);

    assertThatThrownBy(() -> Planner.of(repo).plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 4 problems",
                "features/driver.yaml:5:30: source 'driver_hourly_stats_src'"
                    + " (data/driver_hourly_stats) has no column 'created' for its"
                    + " created_timestamp_field (columns: acc_rate, avg_daily_trip, conv_rate,"
                    + " driver_id, event_timestamp)",
                "features/driver.yaml:15:13: column 'driver_id' of source"
                    + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is string but join key"
                    + " 'driver_id' of feature view 'driver_hourly_stats' is int64",
                "features/driver.yaml:19:32: column 'acc_rate' of source"
                    + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is float64 but"
                    + " feature 'acc_rate' of feature view 'driver_hourly_stats' is float32: not"
                    + " every float64 value converts exactly to float32 (only lossless widening"
                    + " is read: int8/int16 to int32, any integer to int64 or float64, float32 to"
                    + " float64)",
                "features/driver.yaml:20:39: source 'driver_hourly_stats_src'"
                    + " (data/driver_hourly_stats) has no column 'avg_daily_trips' for feature"
                    + " 'avg_daily_trips' of feature view 'driver_hourly_stats' (did you mean"
                    + " 'avg_daily_trip'?)"));
  }

  /** The message all three paths (plan, training-set, materialize) give for a decimal column. */
  static final String DECIMAL_CONV_RATE =
      "column 'conv_rate' of source 'driver_hourly_stats_src' (data/driver_hourly_stats) is"
          + " decimal(10,2) but feature 'conv_rate' of feature view 'driver_hourly_stats' is"
          + " float64: decimals are not converted; write the column as float64, or as int64 for"
          + " whole numbers";

  @Test
  void readsLosslessWideningAndRejectsDecimalsWithTheSharedMessage() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Map<String, String> hourly = hourlyColumns();
    hourly.put("avg_daily_trips", "int32");
    hourly.put("acc_rate", "float32");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourly);
    Planner planner = Planner.of(repo, List.of(new FakeSourceSchemaReader()));

    assertThat(planner.plan().hasChanges()).isTrue(); // int32 for an int64 feature is read

    hourly.put("conv_rate", "decimal(10,2)");
    assertThatThrownBy(planner::plan)
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "Invalid definitions: 1 problem"
                + System.lineSeparator()
                + "features/driver.yaml:18:33: "
                + DECIMAL_CONV_RATE);
  }

  @Test
  void aSourceWithNothingAtItsPathIsAnErrorUnlessMissingSourcesAreAllowed() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    SourceSchemaReader missing =
        source -> {
          throw FeatureStoreException.of(ErrorCode.NOT_FOUND, "no such path %s", source);
        };
    Planner planner = Planner.of(repo, List.of(missing));

    assertThatThrownBy(planner::plan)
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining(
            "features/customer.yaml:3:14: Cannot find source 'customer_profile_src': nothing"
                + " exists at data/customer_profile ("
                + repo.resolve("data/customer_profile")
                + ") (check the parquet: path, or pass --allow-missing-sources when its data is"
                + " written later)");
    assertThat(planner.allowingMissingSources().plan().notes())
        .contains(
            "Source 'customer_profile_src': nothing at data/customer_profile yet"
                + " (--allow-missing-sources), its columns were not checked.");
  }

  @Test
  void checksRenamedColumnsAndNotesUnreachableSources() {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourlyColumns());
    FakeSourceSchemaReader.SCHEMAS.put(
        repo.resolve("data/driver_daily"),
        Map.of(
            "driver_id", "int64",
            "event_timestamp", "timestamp",
            "trips_last_7d", "int64",
            "driver_rating", "float64",
            "embedding", "array<float32>"));
    FakeSourceSchemaReader.SCHEMAS.put(
        repo.resolve("data/trips"),
        Map.of(
            "driver_id", "int64",
            "customer_id", "int64",
            "event_timestamp", "timestamp",
            "fare", "float64"));
    SourceSchemaReader unreachable = source -> java.util.Optional.empty();

    Plan plan = Planner.of(repo, List.of(unreachable, new FakeSourceSchemaReader())).plan();

    assertThat(plan.notes())
        .containsExactly(
            "Source 'customer_profile_src': no data at data/customer_profile yet, its columns"
                + " were not checked.");
  }
}
