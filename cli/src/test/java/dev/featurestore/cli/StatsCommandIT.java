/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.repo.FileFeatureRepo;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code featurestore stats} on a repo with real Parquet sources. */
class StatsCommandIT {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;
  String out;
  String err;

  /**
   * Two views over one source of 10 hourly rows (hour h: trips h, or null at hour 3; segment gold
   * before hour 6, else silver).
   */
  @BeforeEach
  void writeRepo() throws IOException {
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        "project: stats\nregistry: .featurestore/registry\noffline:\n  spark_master: local[2]\n");
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
            freshness: 2h
            features:
              - {name: trips, type: int64, checks: {min: 0, max_null_fraction: 0.05}}
              - {name: segment, type: string, checks: {allowed: [gold]}}
          - name: driver_segment
            entities: [driver]
            source: trips_src
            ttl: 0s
            features:
              - {name: segment, type: string}
        """);
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("trips", DataTypes.LongType)
            .add("segment", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < 10; h++) {
      rows.add(
          RowFactory.create(
              1001L,
              Timestamp.from(T0.plusSeconds(3600L * h)),
              h == 3 ? null : (long) h,
              h < 6 ? "gold" : "silver"));
    }
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(2)
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

  /** The runs {@code --json} printed (each also recorded in the history). */
  List<StatisticsRun> runs() {
    return QualityJson.read(
        out, QualityJson.mapper().constructType(new TypeReference<List<StatisticsRun>>() {}));
  }

  List<ViewStatistics> json() {
    return runs().stream().map(StatisticsRun::statistics).toList();
  }

  @Test
  void computesTheStatisticsOfAnExplicitWindowAsJson() {
    int code =
        run(
            "--views",
            "driver_trips",
            "--start",
            "2026-12-01T02:00:00Z",
            "--end",
            "2026-12-01T07:00:00Z",
            "--json");

    assertThat(code).as(err).isZero();
    List<ViewStatistics> statistics = json();
    assertThat(statistics).hasSize(1);
    ViewStatistics view = statistics.get(0);
    assertThat(view.view()).isEqualTo("driver_trips");
    assertThat(view.start()).contains(Instant.parse("2026-12-01T02:00:00Z"));
    assertThat(view.end()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
    // hours 2..7 inclusive: trips 2, null, 4, 5, 6, 7
    assertThat(view.rows()).isEqualTo(6);
    FeatureStatistics trips = view.feature("trips").orElseThrow();
    assertThat(trips.nulls()).isEqualTo(1);
    assertThat(trips.numbers().orElseThrow().min()).isEqualTo(2);
    assertThat(trips.numbers().orElseThrow().max()).isEqualTo(7);
    assertThat(trips.numbers().orElseThrow().mean()).isEqualTo(4.8);
    assertThat(trips.quantiles()).containsEntry("p50", 5.0);
    FeatureStatistics segment = view.feature("segment").orElseThrow();
    assertThat(segment.topValues())
        .containsExactly(new ValueCount("gold", 4), new ValueCount("silver", 2));
  }

  @Test
  void printsEachViewsRunWithItsCheckResultsAsJsonAndRecordsIt() {
    assertThat(run("--views", "driver_trips", "--end", "2026-12-01T09:00:00Z", "--json"))
        .as(err)
        .isZero();

    List<StatisticsRun> runs = runs();
    assertThat(runs).hasSize(1);
    StatisticsRun run = runs.get(0);
    assertThat(run.origin()).isEqualTo(StatisticsRun.STATS);
    assertThat(run.checks())
        .extracting(CheckResult::feature, CheckResult::check, CheckResult::passed)
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                org.assertj.core.groups.Tuple.tuple("trips", "min", true),
                org.assertj.core.groups.Tuple.tuple("trips", "max_null_fraction", false),
                org.assertj.core.groups.Tuple.tuple("segment", "allowed", false)));
    assertThat(FileFeatureRepo.open(dir).registry().statistics().runs("driver_trips"))
        .containsExactly(run);
  }

  @Test
  void defaultsToTheWatermarkWindowElseAllData() {
    FileFeatureRepo.open(dir)
        .registry()
        .watermarks()
        .write("driver_trips", Instant.parse("2026-12-01T08:00:00Z"));

    assertThat(run("--json")).as(err).isZero();

    List<ViewStatistics> statistics = json();
    assertThat(statistics)
        .extracting(ViewStatistics::view)
        .containsExactly("driver_segment", "driver_trips");
    ViewStatistics trips = statistics.get(1);
    assertThat(trips.start()).contains(Instant.parse("2026-12-01T04:00:00Z"));
    assertThat(trips.end()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
    assertThat(trips.rows()).as("hours 4..8").isEqualTo(5);
    ViewStatistics segment = statistics.get(0);
    assertThat(segment.start()).isEmpty();
    assertThat(segment.rows()).as("no watermark: all data").isEqualTo(10);
  }

  @Test
  void printsATablePerView() {
    assertThat(run("--views", "driver_trips", "--end", "2026-12-01T09:00:00Z")).as(err).isZero();

    // trips 0..9 without 3: mean 42 / 9; squares 276 - 9 * (42/9)^2 = 80, stddev sqrt(80 / 8)
    assertThat(out)
        .isEqualTo(
            """
            driver_trips: 10 rows, (earliest) .. 2026-12-01T09:00:00Z (--start/--end)
              STALE: never materialized (freshness 2h)
            FEATURE  TYPE    ROWS  NULL %  DISTINCT  MIN  P50  MAX    MEAN  STDDEV  TOP VALUES
            trips    int64     10   10.0%         9    0    5    9  4.6667  3.1623
            segment  string    10    0.0%         2    -    -    -       -       -  gold 60%, silver 40%
              checks: 1 passed, 2 failed
              FAILED trips: 10% nulls (1 of 10 rows), max_null_fraction 5%
              FAILED segment: 4 values not allowed (e.g. 'silver'), allowed [gold]
            """);
  }

  @Test
  void namesTheClosestViewOfAnUnknownOne() {
    assertThat(run("--views", "driver_trip")).isEqualTo(1);

    assertThat(err)
        .contains(
            "Cannot compute statistics of feature view 'driver_trip': no such view in project"
                + " 'stats' (did you mean 'driver_trips'?)");
  }

  @Test
  void rejectsABadTime() {
    assertThat(run("--start", "yesterday")).isEqualTo(2);

    assertThat(err)
        .contains("'yesterday' is not an ISO-8601 instant such as 2026-11-22T07:00:00Z, or 'now'");
  }

  @Test
  void rejectsAStartAfterTheEnd() {
    assertThat(run("--start", "2026-12-02T00:00:00Z", "--end", "2026-12-01T00:00:00Z"))
        .isEqualTo(1);

    assertThat(err)
        .contains(
            "Cannot compute statistics: --start 2026-12-02T00:00:00Z is after --end"
                + " 2026-12-01T00:00:00Z");
  }
}
