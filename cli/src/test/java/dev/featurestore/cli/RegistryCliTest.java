/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.DefinitionsJson;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCliTest {
  @TempDir Path dir;
  String repo;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void copyExample() {
    repo = TestRepos.copyOfExample("rides", dir).toString();
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RegistryCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void plansAndAppliesTheExampleRepo() throws IOException {
    Result plan = run("plan", "--allow-missing-sources", "--repo", repo);

    assertThat(plan.exitCode()).isZero();
    assertThat(plan.err()).isEmpty();
    assertThat(plan.out())
        .startsWith("Project 'rides': nothing applied yet.\n\n  + entity customer\n")
        .contains("  + feature_view driver_daily\n", "Plan: 11 to add, 0 to change, 0 to remove.\n")
        .contains(
            "Note: Source 'driver_daily_src': nothing at data/driver_daily yet"
                + " (--allow-missing-sources), its columns were not checked.");

    Result apply = run("apply", "--allow-missing-sources", "--repo", repo);
    String hash = DefinitionsJson.contentHash(TestDefinitions.rides());
    assertThat(apply.exitCode()).isZero();
    assertThat(apply.out()).contains("Applied version 1 (sha256 " + hash.substring(0, 12) + ")");

    Result again = run("apply", "--allow-missing-sources", "--repo", repo);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .contains("No changes: the definitions equal the applied version.")
        .endsWith("Nothing to apply: version 1 is current.\n");

    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("ttl: 2h", "ttl: 1h"));
    Result breaking = run("plan", "--allow-missing-sources", "--repo", repo);
    assertThat(breaking.exitCode()).isZero();
    assertThat(breaking.out())
        .contains(
            "  ~ feature_view driver_hourly_stats\n"
                + "      feature_views.driver_hourly_stats.ttl: 2h -> 1h  [BREAKING: TTL"
                + " shortened: values expire sooner]\n\n"
                + "Plan: 0 to add, 1 to change, 0 to remove; 1 breaking change.\n");
    assertThat(run("apply", "--allow-missing-sources", "--allow-breaking", "--repo", repo).out())
        .contains("Applied version 2 (sha256 ");

    Result history = run("registry", "history", "--repo", repo);
    assertThat(history.exitCode()).isZero();
    assertThat(history.out().lines())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("VERSION  APPLIED AT");
    assertThat(history.out().lines().skip(1))
        .satisfiesExactly(
            l -> assertThat(l).startsWith("1 ").contains(hash.substring(0, 12)),
            l -> assertThat(l).startsWith("2 "));
  }

  @Test
  void describesAnAggregatedViewWithItsColumnTypes() {
    Path trips = dir.resolve("trips");
    TestRepos.create(
        trips,
        TestDefinitions.tripsProject("trips", Path.of("data/trips")),
        "redis://127.0.0.1:6399",
        Optional.empty());

    Result describe = run("registry", "describe", "driver_trips", "--repo", trips.toString());

    assertThat(describe.exitCode()).isZero();
    assertThat(describe.out())
        .contains(
            "  aggregation interval:    1h\n  features:\n"
                + "    trips_1h                 int64\n"
                + "      aggregation: count of rows, window 1h\n"
                + "    fare_sum_24h             float64         (column fare)\n"
                + "      aggregation: sum of fare (float64), window 1d\n",
            "    fares_last3_7d           array<float64>  (column fare)\n"
                + "      aggregation: last_n 3 of fare (float64), window 7d\n"
                + "    riders_7d                int64           (column rider_id)\n"
                + "      aggregation: approx_count_distinct of rider_id (int64), window 7d\n");
  }

  @Test
  void listsAndDescribesAnyVersion() throws IOException {
    run("apply", "--allow-missing-sources", "--repo", repo);
    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("ttl: 2h", "ttl: 1h"));
    run("apply", "--allow-missing-sources", "--allow-breaking", "--repo", repo);

    Result list = run("registry", "list", "--repo", repo, "--version", "1");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .startsWith("Version 1 of project 'rides' (applied ")
        .contains(
            "entity           driver                       join keys: driver_id int64\n",
            "feature_view     driver_hourly_stats          entities: driver; 3 features; ttl 2h;"
                + " online\n",
            "feature_view     driver_trips                 entities: driver; 6 aggregations;"
                + " interval 1h, longest window 7d; online\n",
            "feature_service  driver_ranking               8 features\n");
    assertThat(run("registry", "list", "--repo", repo).out())
        .contains("driver_hourly_stats          entities: driver; 3 features; ttl 1h");

    Result describe = run("registry", "describe", "driver_daily", "--repo", repo);
    long fingerprint =
        FeatureViewSchemas.fingerprint(
            FeatureViewSchemas.schemaOf(
                "rides", TestDefinitions.rides().requireFeatureView("driver_daily")));
    assertThat(describe.exitCode()).isZero();
    assertThat(describe.out())
        .startsWith("feature_view driver_daily (version 2)\n")
        .contains(
            "  entities:                driver (driver_id int64)\n",
            "    rating                   float64         (column driver_rating)\n"
                + "      checks: min 1, max 5, max_null_fraction 0.05\n",
            "    embedding                array<float32>  8-dimensional driver embedding\n",
            "  avro schema fingerprint: " + FileRegistry.hex(fingerprint) + "\n",
            "\"name\" : \"driver_daily\"");

    assertThat(run("registry", "describe", "driver_hourly_stats", "--repo", repo).out())
        .contains(
            "  ttl:                     1h\n  freshness:               2h\n",
            "    avg_daily_trips          int64\n      checks: min 0\n");
    JsonNode hourly =
        new ObjectMapper()
            .readTree(
                run("registry", "describe", "driver_hourly_stats", "--repo", repo, "--json").out());
    assertThat(hourly.path("definition").path("freshness").asText()).isEqualTo("2h");
    assertThat(hourly.path("definition").path("features").get(0).path("checks").toString())
        .isEqualTo("{\"min\":0.0,\"max\":1.0,\"max_null_fraction\":0.01}");

    Result json =
        run("registry", "describe", "driver_ranking", "--repo", repo, "--version", "1", "--json");
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.path("kind").asText()).isEqualTo("feature_service");
    assertThat(node.path("version").asLong()).isEqualTo(1);
    assertThat(node.path("resolved_features")).hasSize(8);
    assertThat(node.path("resolved_features").get(4).path("reference").asText())
        .isEqualTo("driver_daily:embedding");
    assertThat(node.path("resolved_features").get(4).path("type").asText())
        .isEqualTo("array<float32>");

    JsonNode listJson =
        new ObjectMapper().readTree(run("registry", "list", "--repo", repo, "--json").out());
    assertThat(listJson.path("version").asLong()).isEqualTo(2);
    assertThat(listJson.path("definitions").path("feature_views")).hasSize(4);
  }

  @Test
  void userErrorsExitOneWithOneMessageAndNoStackTrace() throws IOException {
    Result empty = run("registry", "list", "--repo", repo);
    assertThat(empty.exitCode()).isEqualTo(1);
    assertThat(empty.err())
        .isEqualTo(
            "Cannot read the registry of project 'rides': nothing has been applied yet (run:"
                + " featurestore apply --repo "
                + repo
                + ")\n");

    run("apply", "--allow-missing-sources", "--repo", repo);
    Result unknown = run("registry", "describe", "drivr", "--repo", repo);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err())
        .isEqualTo(
            "Cannot describe 'drivr': version 1 has no entity, source, feature view or feature"
                + " service of that name (did you mean 'driver'?)\n");
    assertThat(run("registry", "list", "--repo", repo, "--version", "9").err())
        .isEqualTo("Cannot find registry version 9: versions are 1 to 1\n");

    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("type: float32", "type: float"));
    Result invalid = run("plan", "--allow-missing-sources", "--repo", repo);
    assertThat(invalid.exitCode()).isEqualTo(1);
    assertThat(invalid.err())
        .isEqualTo(
            "Invalid definitions: 1 problem\n"
                + "features/driver.yaml:19:32: unknown type 'float' for feature 'acc_rate' of"
                + " feature view 'driver_hourly_stats' (did you mean 'float32'? valid types:"
                + " int32, int64, float32, float64, string, bool, bytes, timestamp,"
                + " array<int32>, array<int64>, array<float32>, array<float64>,"
                + " array<string>)\n");
    assertThat(run("apply", "--allow-missing-sources", "--repo", repo).exitCode()).isEqualTo(1);
    assertThat(FileRegistry.open(dir.resolve(".featurestore/registry")).history()).hasSize(1);

    Result verbose = run("plan", "--allow-missing-sources", "--repo", repo, "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err())
        .startsWith("Invalid definitions: 1 problem\n")
        .contains("dev.featurestore.registry.DefinitionException", "\tat dev.featurestore.");

    Result noRepo = run("plan", "--repo", dir.resolve("nope").toString());
    assertThat(noRepo.exitCode()).isEqualTo(1);
    assertThat(noRepo.err()).startsWith("Cannot open feature repo ").doesNotContain("\tat ");
  }

  @Test
  void aSourceWithNoDataIsAnErrorUnlessAllowed() {
    Result plan = run("plan", "--repo", repo);

    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.err())
        .startsWith(
            "Invalid definitions: 4 problems\nfeatures/customer.yaml:3:14: Cannot find source")
        .contains(
            "\nfeatures/driver.yaml:3:14: Cannot find source 'driver_hourly_stats_src': nothing"
                + " exists at data/driver_hourly_stats (file:",
            "(check the parquet: path, or pass --allow-missing-sources when its data is written"
                + " later)\nfeatures/driver.yaml:8:14: Cannot find source 'driver_daily_src'");
    assertThat(run("apply", "--repo", repo).exitCode()).isEqualTo(1);
    assertThat(FileRegistry.open(dir.resolve(".featurestore/registry")).history()).isEmpty();
  }

  @Test
  void applyOnAnEmptyRepoAppliesNothing() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("featurestore.yaml"), "project: empty\n");

    Result apply = run("apply", "--repo", empty.toString());

    assertThat(apply.exitCode()).isZero();
    assertThat(apply.out()).endsWith("Nothing to apply: the repo defines no objects yet.\n");
    assertThat(run("registry", "history", "--repo", empty.toString()).out())
        .isEqualTo("No versions: nothing has been applied yet.\n");
  }

  @Test
  void badUsageExitsTwoAndHelpExitsZero() {
    Result unknownOption = run("plan", "--bogus");
    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.err()).startsWith("Unknown option: '--bogus'");

    assertThat(run("nosuch").exitCode()).isEqualTo(2);
    assertThat(run().exitCode()).isEqualTo(2);
    assertThat(run("registry", "describe", "--repo", repo).err())
        .startsWith("Missing required parameter: 'NAME'");
    assertThat(run("registry", "list", "--version", "x").exitCode()).isEqualTo(2);

    Result help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("plan ", "apply ", "registry ");
    for (String[] command :
        new String[][] {
          {"plan", "--help"},
          {"apply", "--help"},
          {"registry", "--help"},
          {"registry", "list", "--help"},
          {"registry", "describe", "--help"},
          {"registry", "history", "--help"}
        }) {
      Result result = run(command);
      assertThat(result.exitCode()).as(String.join(" ", command)).isZero();
      assertThat(result.out()).contains("Usage: featurestore " + command[0]);
    }
  }
}
