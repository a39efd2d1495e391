/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.testing.StatisticsRuns;
import dev.featurestore.registry.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

  @TempDir Path dir;
  Path repo;

  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void copyExample() {
    repo = TestRepos.copyOfExample("rides", dir.resolve("repo"));
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ReportCommand.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  void apply() {
    assertThat(
            RegistryCliTest.run("apply", "--allow-missing-sources", "--repo", repo.toString())
                .exitCode())
        .isZero();
  }

  @Test
  void writesTheReportOfTheAppliedRegistry() throws IOException {
    apply();
    Registry registry = FileRegistry.open(repo.resolve(".featurestore/registry"));
    registry.watermarks().write("driver_hourly_stats", NOW.minusSeconds(1800));
    registry
        .statistics()
        .append(StatisticsRuns.full("driver_hourly_stats", "run-1", NOW.minusSeconds(1700)));
    Path output = dir.resolve("report.html");

    Result result = run("report", "--repo", repo.toString(), "--output", output.toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "Wrote the data quality report of project 'rides' (registry version 1, 4 feature"
                + " views) to "
                + output
                + "\n  stale views: none; failed checks in the latest runs: 1\n");
    assertThat(Files.readString(output))
        .startsWith("<!DOCTYPE html>")
        .contains("<h1>Data quality report: rides</h1>")
        .contains("watermark 2026-12-02T05:30:00Z (30m 0s old)")
        .contains("<img class=\"chart\" alt=\"conv_rate\" src=\"data:image/svg+xml;base64,");
  }

  @Test
  void refusesARepoWithNothingApplied() {
    Result result =
        run("report", "--repo", repo.toString(), "--output", dir.resolve("r.html").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "Cannot write the report of project 'rides': nothing has been applied to its registry "
                + repo.resolve(".featurestore/registry")
                + " yet (run: featurestore apply --repo "
                + repo
                + ")\n");
  }

  @Test
  void refusesAMissingOutputFolder() {
    Path output = dir.resolve("no-such/report.html");
    Result result = run("report", "--repo", repo.toString(), "--output", output.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "Cannot write the report to "
                + output
                + ": the folder "
                + dir.resolve("no-such")
                + " does not exist (create it first)\n");
  }

  @Test
  void namesTheLineAndColumnOfAnUnreadableJsonFile() throws IOException {
    apply();
    Path drift =
        Files.writeString(dir.resolve("drift.json"), "{\n  \"training_set\": \"t\",\n  x\n}\n");

    Result result =
        run(
            "report",
            "--repo",
            repo.toString(),
            "--output",
            dir.resolve("r.html").toString(),
            "--drift-json",
            drift.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "Cannot read the drift results "
                + drift
                + " at line 3, column 3: Unexpected character ('x' (code 120)): was expecting"
                + " double-quote to start field name (expected the output of 'featurestore drift"
                + " --json')\n");
  }
}
