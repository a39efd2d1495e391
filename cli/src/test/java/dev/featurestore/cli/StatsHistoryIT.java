/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.StatisticsRuns;
import dev.featurestore.spark.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code featurestore stats} and the statistics history: each run is appended with its check
 * results, {@code --history} lists them, and the default window is the last materialization's.
 */
class StatsHistoryIT {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;
  String out;
  String err;

  /** One view over 10 hourly rows (hour h: trips h), trips checked against max 8. */
  @BeforeEach
  void writeRepo() throws IOException {
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        "project: history\nregistry: .featurestore/registry\noffline:\n  spark_master: local[2]\n");
    Files.writeString(
        dir.resolve("features/defs.yaml"),
        """
        entities:
          - {name: driver, join_keys: {driver_id: int64}}
        sources:
          - {name: trips_src, parquet: data/trips, timestamp_field: event_timestamp}
        feature_views:
          - name: driver_trips
            entities: [driver]
            source: trips_src
            ttl: 4h
            features:
              - {name: trips, type: int64, checks: {max: 8}}
        """);
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("trips", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < 10; h++) {
      rows.add(RowFactory.create(1001L, Timestamp.from(T0.plusSeconds(3600L * h)), (long) h));
    }
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .write()
        .parquet(dir.resolve("data/trips").toString());
    FileFeatureRepo repo = FileFeatureRepo.open(dir);
    repo.registry().apply(repo.definitions());
  }

  int run(String... args) {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    List<String> line = new ArrayList<>(List.of("stats", "--repo", dir.toString()));
    line.addAll(List.of(args));
    int code =
        FeaturestoreCli.run(
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            line.toArray(String[]::new));
    out = outBytes.toString(StandardCharsets.UTF_8);
    err = errBytes.toString(StandardCharsets.UTF_8);
    return code;
  }

  private List<StatisticsRun> runs() {
    return FileFeatureRepo.open(dir).registry().statistics().runs("driver_trips");
  }

  @Test
  void appendsEachComputationWithItsCheckResultsAndListsThem() {
    assertThat(run("--end", "2026-12-01T09:00:00Z")).as(err).isZero();
    assertThat(run("--start", "2026-12-01T02:00:00Z", "--end", "2026-12-01T05:00:00Z"))
        .as(err)
        .isZero();

    List<StatisticsRun> runs = runs();
    assertThat(runs).hasSize(2);
    StatisticsRun all = runs.get(0);
    assertThat(all.origin()).isEqualTo(StatisticsRun.STATS);
    assertThat(all.registryVersion()).isEqualTo(1);
    assertThat(all.statistics().rows()).isEqualTo(10);
    // trips 0..9: max 9 > 8
    assertThat(all.checks())
        .extracting(CheckResult::feature, CheckResult::check, CheckResult::passed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("trips", "max", false));
    // hours 2..5: max 5
    assertThat(runs.get(1).statistics().rows()).isEqualTo(4);
    assertThat(runs.get(1).checks()).extracting(CheckResult::passed).containsExactly(true);

    assertThat(run("--history", "driver_trips")).as(err).isZero();
    assertThat(out.lines().toList())
        .hasSize(7)
        .startsWith(
            "Statistics history of feature view 'driver_trips': 2 runs, oldest first",
            "",
            "COMPUTED AT              ORIGIN      WINDOW                                         "
                + "       ROWS  VERSION  CHECKS");
    assertThat(out.lines().skip(3).findFirst().orElseThrow())
        .contains(" stats       (all) .. 2026-12-01T09:00:00Z ")
        .contains("           10        1  0 passed, 1 failed (");
    // 0..9: mean 4.5; p50 4, the smallest value of rank >= 0.5 (4 is the 5th of 10)
    assertThat(out.lines().skip(4).findFirst().orElseThrow())
        .isEqualTo("    trips                    nulls 0.0%  distinct ~10  mean 4.5  p50 4");
    assertThat(out.lines().skip(5).findFirst().orElseThrow())
        .contains(" stats       2026-12-01T02:00:00Z .. 2026-12-01T05:00:00Z ")
        .endsWith("            4        1  1 passed, 0 failed");

    assertThat(run("--history", "driver_trips", "--json")).as(err).isZero();
    assertThat(QualityJson.read(out, com.fasterxml.jackson.databind.JsonNode.class).get("runs"))
        .hasSize(2);
  }

  @Test
  void defaultsToTheWindowOfTheLatestMaterialization() {
    Instant end = Instant.parse("2026-12-01T05:00:00Z");
    StatisticsRun materialized = StatisticsRuns.run("driver_trips", "m1", end, 4);
    ViewStatistics window =
        new ViewStatistics(
            "driver_trips",
            Optional.of(Instant.parse("2026-12-01T02:00:00Z")),
            end,
            4,
            materialized.statistics().features());
    FileFeatureRepo.open(dir)
        .registry()
        .statistics()
        .append(
            new StatisticsRun(
                "m1", "driver_trips", 1, end, StatisticsRun.MATERIALIZE, window, List.of()));
    // A watermark, which the materialization's window takes precedence over.
    FileFeatureRepo.open(dir)
        .registry()
        .watermarks()
        .write("driver_trips", T0.plusSeconds(8 * 3600));

    assertThat(run("--json")).as(err).isZero();

    List<ViewStatistics> statistics =
        QualityJson.<List<StatisticsRun>>read(
                out,
                QualityJson.mapper().constructType(new TypeReference<List<StatisticsRun>>() {}))
            .stream()
            .map(StatisticsRun::statistics)
            .toList();
    assertThat(statistics.get(0).start()).contains(Instant.parse("2026-12-01T02:00:00Z"));
    assertThat(statistics.get(0).end()).isEqualTo(end);
    assertThat(statistics.get(0).rows()).as("hours 2..5").isEqualTo(4);
  }

  @Test
  void historyTakesNoWindowOrViews() {
    assertThat(run("--history", "driver_trips", "--start", "2026-12-01T02:00:00Z")).isEqualTo(2);

    assertThat(err)
        .contains(
            "--history lists the stored runs of one view; it takes no --views, --start or --end"
                + " (drop them, or drop --history to compute statistics)");
    assertThat(runs()).isEmpty();
  }
}
