/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.offline.cli.OfflineCli;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command and the spark-submit job end to end in local mode, on a copy of examples/rides with
 * generated sources and a registry applied with the real file registry.
 */
class TrainingSetJobIT {
  @TempDir Path dir;
  private Path repo;
  private Path entities;

  @BeforeEach
  void applyExampleRepo() throws Exception {
    repo = TestRepos.copyOfExample("rides", dir.resolve("rides"));
    var spark = SparkTestSession.get();
    spark
        .sql(
            "select cast(id % 3 + 1001 as bigint) as driver_id,"
                + " timestamp_seconds(1704067200 + id * 3600) as event_timestamp,"
                + " timestamp_seconds(1704067200 + id * 3600) as created,"
                + " cast(id / 10.0 as double) as conv_rate, cast(id as float) as acc_rate,"
                + " cast(id * 10 as bigint) as avg_daily_trips from range(0, 24)")
        .write()
        .parquet(repo.resolve("data/driver_hourly_stats").toString());
    spark
        .sql(
            "select cast(id % 3 + 1001 as bigint) as driver_id,"
                + " timestamp_seconds(1704067200 + id * 86400) as event_timestamp,"
                + " cast(id as bigint) as trips_last_7d, cast(4.5 as double) as driver_rating,"
                + " array(cast(id as float), 1.0f) as embedding from range(0, 3)")
        .write()
        .parquet(repo.resolve("data/driver_daily").toString());
    spark
        .sql(
            "select 7L as customer_id, timestamp'2024-01-01 00:00:00' as event_timestamp,"
                + " 10.0d as current_balance, 1.5d as avg_passenger_count,"
                + " 3L as lifetime_trip_count, 'gold' as segment")
        .write()
        .parquet(repo.resolve("data/customer_profile").toString());
    // Trips every 30 minutes from 00:00 to 05:30 on Jan 1: 1001 at the hours (fares 0, 2 .. 10),
    // 1002 at the half hours (fares 1, 3 .. 11).
    spark
        .sql(
            "select cast(id % 2 + 1001 as bigint) as driver_id, cast(id as bigint) as customer_id,"
                + " timestamp_seconds(1704067200 + id * 1800) as event_timestamp,"
                + " cast(id as double) as fare from range(0, 12)")
        .write()
        .parquet(repo.resolve("data/trips").toString());
    FeatureRepo open = FeatureRepo.open(repo);
    open.registry().apply(open.definitions());
    entities = dir.resolve("rides.csv");
    // 1001 has rows at hours 0, 3, 6, ...; 1002 at 1, 4, ...; TTL of driver_hourly_stats is 2h.
    Files.writeString(
        entities,
        """
        driver,customer_id,event_timestamp,label
        1001,7,2024-01-01T06:00:00Z,1
        1002,8,2024-01-01T09:30:00+02:00,0
        1003,7,2024-01-01 05:00:00,1
        """);
  }

  @Test
  void runsUnderSparkSubmitArguments() {
    Path output = dir.resolve("training");

    int exit =
        TrainingSetJob.run(
            "--repo", repo.toString(),
            "--entities", entities.toString(),
            "--features", "driver_hourly_stats:conv_rate,driver_hourly_stats:avg_daily_trips",
            "--join-key-map", "driver_id=driver",
            "--output", output.toString());

    assertThat(exit).isZero();
    List<Row> rows =
        SparkTestSession.get().read().parquet(output.toString()).orderBy("driver").collectAsList();
    // 1001 at 06:00: its 06:00 row (id 6). 1002 at 07:30Z: its 07:00 row (id 7).
    // 1003 at 05:00Z: its 05:00 row (id 5).
    assertThat(rows.stream().map(Row::toString))
        .containsExactly(
            "[1001,7,2024-01-01 06:00:00.0,1,0.6,60]",
            "[1002,8,2024-01-01 07:30:00.0,0,0.7,70]",
            "[1003,7,2024-01-01 05:00:00.0,1,0.5,50]");
    assertThat(output.resolve("_manifest.json")).exists();
  }

  @Test
  void commandReadsAFeatureServiceAndReportsErrorsWithExitCodes() {
    Path output = dir.resolve("training");
    assertThat(
            OfflineCli.run(
                "training-set",
                "--repo",
                repo.toString(),
                "--entities",
                entities.toString(),
                "--feature-service",
                "driver_ranking",
                "--full-feature-names",
                "--join-key-map",
                "driver=driver_id",
                "--output",
                output.toString()))
        .isZero();
    List<Row> rows =
        SparkTestSession.get()
            .read()
            .parquet(output.toString())
            .orderBy("driver")
            .selectExpr(
                "driver",
                "driver_hourly_stats__conv_rate",
                "driver_daily__trips_last_7d",
                "driver_daily__rating",
                "driver_daily__embedding",
                "driver_trips__trips_24h",
                "driver_trips__fare_avg_7d",
                "customer_profile__current_balance")
            .collectAsList();
    // driver_daily rows: 1001 on Jan 1 (id 0); 1002 on Jan 2 and 1003 on Jan 3 are in the future.
    // driver_trips as of 06:00 (1001) and 07:30 (1002): all six trips of each; 1003: none, so a
    // count of 0 and no average.
    assertThat(rows.stream().map(Row::toString))
        .containsExactly(
            "[1001,0.6,0,4.5,ArraySeq(0.0, 1.0),6,5.0,10.0]",
            "[1002,0.7,null,null,null,6,6.0,null]",
            "[1003,0.5,null,null,null,0,null,10.0]");

    String error =
        stderrOf(
            () ->
                assertThat(
                        OfflineCli.run(
                            "training-set",
                            "--repo",
                            repo.toString(),
                            "--entities",
                            entities.toString(),
                            "--features",
                            "driver_hourly_stat:conv_rate",
                            "--output",
                            dir.resolve("other").toString()))
                    .isEqualTo(1));
    assertThat(error)
        .startsWith(
            "Cannot find feature view 'driver_hourly_stat' (did you mean"
                + " 'driver_hourly_stats'?)")
        .doesNotContain("\tat ");

    String usage =
        stderrOf(
            () ->
                assertThat(OfflineCli.run("training-set", "--repo", repo.toString())).isEqualTo(2));
    assertThat(usage).contains("Missing required options");
  }

  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
