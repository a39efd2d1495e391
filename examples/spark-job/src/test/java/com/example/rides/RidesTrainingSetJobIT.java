/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package com.example.rides;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.offline.examples.ExamplesCli;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidesTrainingSetJobIT {
  @Test
  void buildsTheTrainingSetOfTheExampleRepo(@TempDir Path dir) throws IOException {
    Path repo = copyOfRidesDefinitions(dir.resolve("rides"));
    assertThat(
            ExamplesCli.run(
                "generate-example-data",
                "--repo",
                repo.toString(),
                "--now",
                "2026-11-22T08:00:00Z",
                "--requests",
                "200"))
        .isZero();
    // What 'featurestore apply' does, through the registry's API.
    Planner planner = Planner.of(FileFeatureRepo.open(repo));
    assertThat(planner.apply(planner.plan()).created()).isTrue();

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    String output = dir.resolve("training_set").toString();
    assertThat(RidesTrainingSetJob.run(spark, repo, output)).isEqualTo(200);

    List<Row> rows = spark.read().parquet(output).collectAsList();
    assertThat(rows.get(0).schema().fieldNames())
        .containsExactly(
            "request_id",
            "driver_id",
            "customer_id",
            "event_timestamp",
            "label",
            "conv_rate",
            "acc_rate",
            "trips_last_7d",
            "rating",
            "embedding",
            "trips_24h",
            "fare_avg_7d",
            "current_balance");
    // Driver 9999 has no data: its features are null, its trip count 0; the others found values.
    assertThat(rows)
        .filteredOn(r -> r.getLong(1) == 9999)
        .isNotEmpty()
        .allMatch(r -> r.isNullAt(5) && r.isNullAt(7) && r.getLong(10) == 0 && r.isNullAt(11));
    assertThat(rows)
        .filteredOn(r -> r.getLong(1) != 9999 && r.getLong(10) > 0 && !r.isNullAt(11))
        .hasSizeGreaterThan(150);
    assertThat(rows)
        .filteredOn(r -> r.getLong(1) != 9999 && !r.isNullAt(5))
        .hasSizeGreaterThan(150);
  }

  private static Path copyOfRidesDefinitions(Path target) throws IOException {
    Path source = Path.of("../rides");
    Files.createDirectories(target.resolve("features"));
    Files.copy(source.resolve("featurestore.yaml"), target.resolve("featurestore.yaml"));
    try (Stream<Path> files = Files.list(source.resolve("features"))) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve("features").resolve(file.getFileName()));
      }
    }
    return target;
  }
}
