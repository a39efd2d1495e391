/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source column check reports in the same run as the definitions' own problems. */
class SourceCheckBesideInvalidDefinitionsTest {
  @TempDir Path dir;

  @AfterEach
  void forgetSchemas() {
    FakeSourceSchemaReader.SCHEMAS.clear();
  }

  private void edit(String file, String from, String to) throws IOException {
    Path path = dir.resolve(file);
    Files.writeString(path, Files.readString(path).replace(from, to));
  }

  @Test
  void aColumnMismatchOfABrokenViewIsReportedWithItsOtherProblems() throws IOException {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Map<String, String> hourly = PlannerTest.hourlyColumns();
    hourly.put("acc_rate", "float64");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourly);
    edit("features/driver.yaml", "ttl: 2h", "ttl: 2 hours");
    edit("features/customer.yaml", "entities: [customer]", "entities: [custmer]");

    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 3 problems",
                "features/customer.yaml:8:16: feature view 'customer_profile' references unknown"
                    + " entity 'custmer' (did you mean 'customer'?)",
                "features/driver.yaml:16:10: invalid duration '2 hours' (use a whole number with"
                    + " a unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or"
                    + " P7D, or 0 for no limit)",
                "features/driver.yaml:19:32: column 'acc_rate' of source"
                    + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is float64 but"
                    + " feature 'acc_rate' of feature view 'driver_hourly_stats' is float32: not"
                    + " every float64 value converts exactly to float32 (only lossless widening"
                    + " is read: int8/int16 to int32, any integer to int64 or float64, float32 to"
                    + " float64)"));
  }

  @Test
  void aViewOfAnUnknownEntityStillHasItsFeatureColumnsChecked() throws IOException {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Map<String, String> hourly = PlannerTest.hourlyColumns();
    hourly.remove("conv_rate");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourly);
    edit("features/driver.yaml", "entities: [driver]", "entities: [drivr]");

    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 3 problems",
                "features/driver.yaml:14:16: feature view 'driver_hourly_stats' references unknown"
                    + " entity 'drivr' (did you mean 'driver'?)",
                "features/driver.yaml:18:33: source 'driver_hourly_stats_src'"
                    + " (data/driver_hourly_stats) has no column 'conv_rate' for feature"
                    + " 'conv_rate' of feature view 'driver_hourly_stats' (columns: acc_rate,"
                    + " avg_daily_trips, created, driver_id, event_timestamp)",
                "features/driver.yaml:24:16: feature view 'driver_daily' references unknown"
                    + " entity 'drivr' (did you mean 'driver'?)"));
  }

  @Test
  void theViewsOfASourceWithoutATimestampFieldStillHaveTheirColumnsChecked() throws IOException {
    FileFeatureRepo repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    Map<String, String> hourly = PlannerTest.hourlyColumns();
    hourly.put("acc_rate", "float64");
    FakeSourceSchemaReader.SCHEMAS.put(repo.resolve("data/driver_hourly_stats"), hourly);
    edit(
        "features/driver.yaml",
        "    timestamp_field: event_timestamp\n    created_timestamp_field",
        "    created_timestamp_field");

    assertThatThrownBy(() -> Planner.of(repo).allowingMissingSources().plan())
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 2 problems",
                "features/driver.yaml:2:5: source 'driver_hourly_stats_src' is missing required"
                    + " key 'timestamp_field'",
                "features/driver.yaml:18:32: column 'acc_rate' of source"
                    + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is float64 but"
                    + " feature 'acc_rate' of feature view 'driver_hourly_stats' is float32: not"
                    + " every float64 value converts exactly to float32 (only lossless widening"
                    + " is read: int8/int16 to int32, any integer to int64 or float64, float32 to"
                    + " float64)"));
  }
}
