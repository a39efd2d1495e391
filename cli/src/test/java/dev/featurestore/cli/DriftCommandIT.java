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
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.spark.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift} end to end through the command line: a training set built by {@code training-set}
 * from one period of a source, compared with a later period without drift (exit 0) and one with
 * drift planted in conv_rate (exit 3), and the errors (exit 1).
 */
class DriftCommandIT {
  private static final Instant TRAINING = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant STEADY = Instant.parse("2026-11-10T00:00:00Z");
  private static final Instant DRIFTED = Instant.parse("2026-11-20T00:00:00Z");
  private static final int ROWS = 3_000;
  private static final StructType SOURCE =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("conv_rate", DataTypes.DoubleType)
          .add("trips", DataTypes.LongType)
          .add("segment", DataTypes.StringType)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));

  @TempDir static Path dir;
  private static Path repo;
  private static Path trainingSet;

  record Result(int code, String out, String err) {}

  private static Definitions definitions(List<Feature> features) {
    return new Definitions(
        "drift_cli",
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(source("driver_source", "data/driver")),
        List.of(
            view(
                "driver_stats",
                "driver",
                "driver_source",
                Duration.ofDays(1),
                features.toArray(Feature[]::new))),
        List.of());
  }

  private static List<Feature> features() {
    return List.of(
        feature("conv_rate", ValueType.FLOAT64),
        feature("trips", ValueType.INT64),
        feature("segment", ValueType.STRING),
        feature("embedding", ValueType.ARRAY_FLOAT32));
  }

  private static List<Row> rows(long seed, Instant start, double convRateShift) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double segment = random.nextDouble();
      rows.add(
          RowFactory.create(
              (long) (i % 100),
              Timestamp.from(start.plusSeconds(i)),
              0.5 + 0.1 * random.nextGaussian() + convRateShift,
              (long) random.nextInt(20),
              segment < 0.2 ? "gold" : segment < 0.5 ? "silver" : "bronze",
              new Float[] {random.nextFloat()}));
    }
    return rows;
  }

  @BeforeAll
  static void buildATrainingSet() {
    repo = dir.resolve("repo");
    TestDefinitions.writeRepo(repo, definitions(features()));
    FeatureRepo opened = FeatureRepo.open(repo);
    opened.registry().apply(opened.definitions());
    List<Row> source = new ArrayList<>(rows(1, TRAINING, 0));
    source.addAll(rows(2, STEADY, 0));
    source.addAll(rows(3, DRIFTED, 0.2));
    var spark = SparkTestSession.get();
    spark
        .createDataFrame(source, SOURCE)
        .repartition(3)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(repo.resolve("data/driver").toString());
    // One entity row a second over the second half of the training period: each picks its
    // driver's latest value, so the training set holds the training period's distribution.
    List<Row> entities = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      entities.add(
          RowFactory.create((long) (i % 100), Timestamp.from(TRAINING.plusSeconds(1_500 + i))));
    }
    spark
        .createDataFrame(
            entities,
            new StructType()
                .add("driver_id", DataTypes.LongType)
                .add("event_timestamp", DataTypes.TimestampType))
        .write()
        .parquet(dir.resolve("entities").toString());
    trainingSet = dir.resolve("training_set");
    Result built =
        run(
            "training-set",
            "--repo",
            repo.toString(),
            "--entities",
            dir.resolve("entities").toString(),
            "--features",
            "driver_stats:*",
            "--output",
            trainingSet.toString());
    assertThat(built.code()).as(built.err()).isZero();
  }

  private static Result run(String... args) {
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

  private static Result drift(Instant start, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "drift",
                "--repo",
                repo.toString(),
                "--training-set",
                trainingSet.toString(),
                "--start",
                start.toString(),
                "--end",
                start.plus(Duration.ofDays(1)).toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void exitsZeroWithoutDrift() {
    Result result = drift(STEADY);

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("driver_stats:conv_rate  float64")
        .contains("driver_stats:segment    string")
        .contains("not compared: array<float32> has no one value per row to bucket")
        .contains("No drift: every PSI is at most 0.2.");
  }

  @Test
  void exitsThreeAndNamesTheDriftedFeature() {
    Result result = drift(DRIFTED);

    assertThat(result.code()).as(result.err()).isEqualTo(3);
    assertThat(result.out()).contains("Drift found in 1 of 4 features: driver_stats:conv_rate.");
  }

  @Test
  void printsEveryScoreAsJson() throws Exception {
    Result result = drift(DRIFTED, "--json");

    assertThat(result.code()).as(result.err()).isEqualTo(3);
    JsonNode report = QualityJson.mapper().readTree(result.out());
    assertThat(report.get("training_set").asText()).isEqualTo(trainingSet.toUri().toString());
    assertThat(report.get("against").asText()).isEqualTo("offline");
    assertThat(report.get("start").asText()).isEqualTo("2026-11-20T00:00:00Z");
    assertThat(report.get("end").asText()).isEqualTo("2026-11-21T00:00:00Z");
    assertThat(report.get("threshold").asDouble()).isEqualTo(0.2);
    assertThat(report.get("drifted").asBoolean()).isTrue();
    JsonNode features = report.get("features");
    assertThat(features).hasSize(4);
    JsonNode convRate = features.get(0);
    assertThat(convRate.get("view").asText()).isEqualTo("driver_stats");
    assertThat(convRate.get("feature").asText()).isEqualTo("conv_rate");
    assertThat(convRate.get("type").asText()).isEqualTo("float64");
    assertThat(convRate.get("psi").asDouble()).isGreaterThan(1);
    assertThat(convRate.get("ks").asDouble()).isGreaterThan(0.5);
    assertThat(convRate.get("drifted").asBoolean()).isTrue();
    assertThat(convRate.get("training_rows").asLong()).isEqualTo(1_500);
    assertThat(convRate.get("current_rows").asLong()).isEqualTo(ROWS);
    JsonNode segment = features.get(2);
    assertThat(segment.get("ks").isNull()).isTrue();
    assertThat(segment.get("drifted").asBoolean()).isFalse();
    assertThat(features.get(3).get("psi").isNull()).isTrue();
  }

  @Test
  void failsOnAFolderWithoutAManifest() {
    Result result =
        run(
            "drift",
            "--repo",
            repo.toString(),
            "--training-set",
            dir.resolve("entities").toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo(
            "Cannot compute drift: "
                + dir.resolve("entities")
                + " has no _manifest.json; give the --output folder of `featurestore"
                + " training-set`");
  }

  @Test
  void failsOnARangeWithoutData() {
    Result result = drift(Instant.parse("2030-01-01T00:00:00Z"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("Cannot compute drift of feature view 'driver_stats': its source")
        .contains(
            "has no rows with event_timestamp in [2030-01-01T00:00:00Z, 2030-01-02T00:00:00Z]");
  }

  @Test
  void failsOnARangeThatEndsBeforeItStarts() {
    Result result =
        run(
            "drift",
            "--repo",
            repo.toString(),
            "--training-set",
            trainingSet.toString(),
            "--start",
            STEADY.toString(),
            "--end",
            TRAINING.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo(
            "Invalid range: --start 2026-11-10T00:00:00Z is not before --end"
                + " 2026-11-01T00:00:00Z; give a start before the end");
  }

  @Test
  void failsOnABadThresholdOrAgainst() {
    Result threshold = drift(STEADY, "--threshold", "0");
    Result usage = drift(STEADY, "--against", "yesterday");

    assertThat(threshold.code()).isEqualTo(1);
    assertThat(threshold.err().strip())
        .isEqualTo(
            "Invalid threshold: 0.0 (a feature drifts when its PSI is above it; give a number"
                + " above 0, e.g. 0.2)");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Invalid value for option '--against'");
  }

  @Test
  void failsWhenAFeatureIsNoLongerInTheRegistry() {
    Path other = dir.resolve("repo_without_trips");
    List<Feature> withoutTrips =
        features().stream().filter(f -> !f.name().equals("trips")).toList();
    TestDefinitions.writeRepo(other, definitions(withoutTrips));
    FeatureRepo opened = FeatureRepo.open(other);
    opened.registry().apply(opened.definitions());

    Result result =
        run(
            "drift",
            "--repo",
            other.toString(),
            "--training-set",
            trainingSet.toString(),
            "--start",
            STEADY.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err().strip())
        .isEqualTo(
            "Cannot compute drift of the training set at "
                + trainingSet.toUri()
                + ": its feature driver_stats:trips is not in the registry's latest applied"
                + " version; compare a training set built from the current definitions, or apply"
                + " definitions that have it. (Cannot find feature 'trips' in feature view"
                + " 'driver_stats')");
  }
}
