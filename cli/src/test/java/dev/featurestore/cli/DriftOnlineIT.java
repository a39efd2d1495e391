/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift --against online} on real Spark and the fixture's real Redis: a training set of the
 * values as of 8 minutes ago compared with what the online service's lookup serves, after
 * materializing those values (no drift) and then newer ones with conv_rate shifted (drift).
 */
class DriftOnlineIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final int DRIVERS = 200;

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    SparkTestSession.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        FeaturestoreCli.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void comparesWithTheValuesServedNow() throws Exception {
    // Every driver: a row 10 minutes ago, and one 5 minutes ago with conv_rate 0.3 higher (three
    // standard deviations) and the same trips and segment.
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    List<Row> entities = new ArrayList<>();
    for (long id = 0; id < DRIVERS; id++) {
      double convRate = 0.5 + 0.1 * random.nextGaussian();
      long trips = random.nextInt(20);
      String segment = random.nextBoolean() ? "gold" : "silver";
      rows.add(RowFactory.create(id, ago(10), convRate, trips, segment));
      rows.add(RowFactory.create(id, ago(5), convRate + 0.3, trips, segment));
      entities.add(RowFactory.create(id, ago(8)));
    }
    var spark = SparkTestSession.get();
    spark
        .createDataFrame(
            rows,
            new StructType()
                .add("driver_id", DataTypes.LongType)
                .add("event_timestamp", DataTypes.TimestampType)
                .add("conv_rate", DataTypes.DoubleType)
                .add("trips", DataTypes.LongType)
                .add("segment", DataTypes.StringType))
        .coalesce(2)
        .write()
        .parquet(dir.resolve("source").toString());
    spark
        .createDataFrame(
            entities,
            new StructType()
                .add("driver_id", DataTypes.LongType)
                .add("event_timestamp", DataTypes.TimestampType))
        .write()
        .parquet(dir.resolve("entities").toString());
    Definitions definitions =
        new Definitions(
            TestDefinitions.uniqueProject(),
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(source("driver_source", dir.resolve("source").toString())),
            List.of(
                view(
                    "driver_stats",
                    "driver",
                    "driver_source",
                    Duration.ofDays(1),
                    feature("conv_rate", ValueType.FLOAT64),
                    feature("trips", ValueType.INT64),
                    feature("segment", ValueType.STRING))),
            List.of());
    FeatureRepo repo =
        TestRepos.create(
            dir.resolve("repo"), definitions, RedisFixture.shared().uri(), Optional.empty());
    String root = repo.root().toString();
    String trainingSet = dir.resolve("training_set").toString();
    assertSucceeds(
        run(
            "training-set",
            "--repo",
            root,
            "--entities",
            dir.resolve("entities").toString(),
            "--features",
            "driver_stats:*",
            "--output",
            trainingSet));

    assertThat(run("drift", "--repo", root, "--training-set", trainingSet, "--against", "online"))
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo(1);
              assertThat(r.err())
                  .contains(
                      "Cannot compute drift of feature view 'driver_stats' against online: no"
                          + " entity of it is in the online store; materialize it first");
            });

    assertSucceeds(
        run("materialize-incremental", "--repo", root, "--end", ago(7).toInstant().toString()));
    Result same =
        run("drift", "--repo", root, "--training-set", trainingSet, "--against", "online");
    assertThat(same.code()).as(same.err()).isZero();
    assertThat(same.out()).contains("No drift: every PSI is at most 0.2.");

    assertSucceeds(run("materialize-incremental", "--repo", root, "--end", NOW.toString()));
    Result shifted =
        run(
            "drift",
            "--repo",
            root,
            "--training-set",
            trainingSet,
            "--against",
            "online",
            "--sample",
            "150",
            "--json");
    assertThat(shifted.code()).as(shifted.err()).isEqualTo(3);
    JsonNode report = QualityJson.mapper().readTree(shifted.out());
    assertThat(report.get("against").asText()).isEqualTo("online");
    assertThat(report.get("start").isNull()).isTrue();
    JsonNode features = report.get("features");
    assertThat(features.get(0).get("feature").asText()).isEqualTo("conv_rate");
    assertThat(features.get(0).get("drifted").asBoolean()).isTrue();
    assertThat(features.get(0).get("training_rows").asLong()).isEqualTo(DRIVERS);
    assertThat(features.get(0).get("current_rows").asLong()).isEqualTo(150);
    assertThat(features.get(1).get("drifted").asBoolean()).isFalse();
    assertThat(features.get(2).get("drifted").asBoolean()).isFalse();

    Result withRange =
        run(
            "drift",
            "--repo",
            root,
            "--training-set",
            trainingSet,
            "--against",
            "online",
            "--start",
            NOW.toString());
    assertThat(withRange.code()).isEqualTo(1);
    assertThat(withRange.err().strip())
        .isEqualTo(
            "Cannot compute drift against online: --start and --end are the range of --against"
                + " offline; online values are looked up now (drop them, or use --against"
                + " offline)");
  }

  private static Timestamp ago(int minutes) {
    return Timestamp.from(NOW.minus(Duration.ofMinutes(minutes)));
  }

  private static void assertSucceeds(Result result) {
    assertThat(result.code()).as(result.err()).isZero();
  }
}
