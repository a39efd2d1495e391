/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static dev.featurestore.statistics.drift.DriftTestData.SCHEMA;
import static dev.featurestore.statistics.drift.DriftTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import dev.featurestore.statistics.drift.DriftTestData.Plant;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift on real Parquet through real Spark: planted drift is found, and only it. */
class DriftIT {
  private static final int N = 5_000;
  private static final Instant CURRENT = T0.plus(Duration.ofDays(7));

  @TempDir Path dir;

  private DriftReport compare(long currentSeed, Plant plant) {
    DriftTestData.write(DriftTestData.rows(1, N, T0, Plant.NONE), SCHEMA, dir.resolve("training"));
    DriftTestData.write(
        DriftTestData.rows(currentSeed, N, CURRENT, plant), SCHEMA, dir.resolve("source"));
    return run(
        DriftTestData.trainingSet(dir.resolve("training")),
        CURRENT,
        CURRENT.plus(Duration.ofDays(1)));
  }

  private DriftReport run(TrainingSet trainingSet, Instant start, Instant end) {
    Definitions definitions = DriftTestData.definitions(dir.resolve("source"));
    Function<String, URI> resolver = path -> Path.of(path).toUri();
    return Drift.againstSources(
        SparkTestSession.get(),
        definitions,
        resolver,
        trainingSet,
        start,
        end,
        DriftOptions.DEFAULT);
  }

  private static Map<String, FeatureDrift> byFeature(DriftReport report) {
    return report.features().stream()
        .collect(Collectors.toMap(FeatureDrift::feature, Function.identity()));
  }

  @Test
  void findsDriftPlantedInOneFeatureAndFlagsNothingElse() {
    DriftReport report = compare(2, new Plant(0.2, 0));
    Map<String, FeatureDrift> features = byFeature(report);

    assertThat(report.drifted()).isTrue();
    assertThat(report.driftedFeatures())
        .extracting(FeatureDrift::feature)
        .containsExactly("conv_rate");
    // A shift of 2 standard deviations: most current values sit in the top training decile.
    assertThat(features.get("conv_rate").psi().getAsDouble()).isGreaterThan(2);
    assertThat(features.get("conv_rate").ks().getAsDouble()).isCloseTo(0.68, within(0.05));
    for (String other : List.of("trips", "segment", "active")) {
      assertThat(features.get(other).psi().getAsDouble()).as(other).isLessThan(0.02);
    }
    assertThat(features.get("trips").ks().getAsDouble()).isLessThan(0.05);
    assertThat(features.get("segment").ks()).isEmpty();
    assertThat(features.get("conv_rate").trainingRows()).isEqualTo(N);
    assertThat(features.get("conv_rate").currentRows()).isEqualTo(N);
  }

  @Test
  void flagsNothingOnUndriftedDataFromAnotherSeed() {
    DriftReport report = compare(3, Plant.NONE);

    assertThat(report.drifted()).isFalse();
    assertThat(report.driftedFeatures()).isEmpty();
    for (FeatureDrift feature : report.features()) {
      if (feature.type() != ValueType.ARRAY_FLOAT32) {
        // Sampling noise of PSI is about (buckets - 1) * (1/n + 1/n) = 0.0036 here.
        assertThat(feature.psi().getAsDouble()).as(feature.feature()).isLessThan(0.02);
      }
    }
    assertThat(byFeature(report).get("conv_rate").ks().getAsDouble()).isLessThan(0.05);
  }

  @Test
  void aNewCategoryIsDrift() {
    DriftReport report = compare(2, new Plant(0, 0.2));

    assertThat(report.driftedFeatures())
        .extracting(FeatureDrift::feature)
        .containsExactly("segment");
    // At least the 'other' bucket's term: (0.2 - 0.0001) ln(0.2 / 0.0001) = 1.52.
    assertThat(byFeature(report).get("segment").psi().getAsDouble()).isGreaterThan(1.5);
  }

  @Test
  void skipsArraysWithANote() {
    FeatureDrift embedding = byFeature(compare(3, Plant.NONE)).get("embedding");

    assertThat(embedding.psi()).isEmpty();
    assertThat(embedding.ks()).isEmpty();
    assertThat(embedding.drifted()).isFalse();
    assertThat(embedding.note())
        .contains("not compared: array<float32> has no one value per row to bucket");
  }

  @Test
  void scoresTinyDataAsComputedByHandAndReadsOnlyTheRange() {
    // Training conv_rate 1..10: decile edges 1..9, one value per bucket, t_i = 0.1.
    // Current 6..15: buckets 5, 6, 7, 8 get one each, the last (> 9) gets 10..15, six:
    // c = (0, 0, 0, 0, 0, .1, .1, .1, .1, .6).
    // PSI = 5 (0.0001 - 0.1) ln(0.0001 / 0.1) + 4 * 0 + (0.6 - 0.1) ln(6)
    //     = 5 * 0.0999 * 6.9077553 + 0.5 * 1.7917595 = 3.4504238 + 0.8958797 = 4.3463035.
    // KS: F_t(5) = 0.5, F_c(5) = 0; F_t(10) = 1, F_c(10) = 0.5; D = 0.5.
    List<Row> training = new ArrayList<>();
    List<Row> source = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      training.add(row(T0, i));
      source.add(row(CURRENT.plusSeconds(i), i + 5));
    }
    // Outside the range: never read.
    source.add(row(CURRENT.minusSeconds(1), 1000));
    source.add(row(CURRENT.plus(Duration.ofDays(2)), -1000));
    DriftTestData.write(training, SCHEMA, dir.resolve("training"));
    DriftTestData.write(source, SCHEMA, dir.resolve("source"));

    FeatureDrift convRate =
        byFeature(
                run(
                    DriftTestData.trainingSet(dir.resolve("training")),
                    CURRENT,
                    CURRENT.plus(Duration.ofDays(1))))
            .get("conv_rate");

    assertThat(convRate.psi().getAsDouble()).isCloseTo(4.3463035, within(1e-6));
    assertThat(convRate.ks().getAsDouble()).isCloseTo(0.5, within(1e-12));
    assertThat(convRate.trainingRows()).isEqualTo(10);
    assertThat(convRate.currentRows()).isEqualTo(10);
  }

  private static Row row(Instant at, double convRate) {
    return RowFactory.create(1L, Timestamp.from(at), convRate, 1L, "gold", true, new Float[] {1f});
  }

  @Test
  void rejectsARangeWithoutSourceRows() {
    DriftTestData.write(
        DriftTestData.rows(1, 100, T0, Plant.NONE), SCHEMA, dir.resolve("training"));
    DriftTestData.write(DriftTestData.rows(1, 100, T0, Plant.NONE), SCHEMA, dir.resolve("source"));
    TrainingSet trainingSet = DriftTestData.trainingSet(dir.resolve("training"));
    Instant start = Instant.parse("2027-01-01T00:00:00Z");

    assertThatThrownBy(() -> run(trainingSet, start, start.plus(Duration.ofDays(7))))
        .isInstanceOf(FeatureStoreException.class)
        .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_DATA)
        .hasMessageStartingWith(
            "Cannot compute drift of feature view 'driver_stats': its source 'driver_source' at ")
        .hasMessageEndingWith(
            " has no rows with event_timestamp in [2027-01-01T00:00:00Z, 2027-01-08T00:00:00Z];"
                + " give --start and --end around the data to compare (the default is the 7 days"
                + " up to now)");
  }

  @Test
  void rejectsARangeThatEndsBeforeItStarts() {
    TrainingSet trainingSet = DriftTestData.trainingSet(dir.resolve("training"));

    assertThatThrownBy(() -> run(trainingSet, CURRENT, T0))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid range: --start 2026-11-27T00:00:00Z is not before --end"
                + " 2026-11-20T00:00:00Z; give a start before the end");
  }

  @Test
  void rejectsAFeatureThatIsNoLongerInTheRegistry() {
    TrainingSet trainingSet =
        TrainingSet.ofManifest(
            dir.resolve("training").toUri().toString(),
            List.of("driver_stats:conv_rat"),
            List.of("driver_id", "event_timestamp", "conv_rat"));

    assertThatThrownBy(() -> run(trainingSet, T0, CURRENT))
        .isInstanceOf(FeatureStoreException.class)
        .hasFieldOrPropertyWithValue("errorCode", ErrorCode.NOT_FOUND)
        .hasMessage(
            "Cannot compute drift of the training set at %s: its feature driver_stats:conv_rat is"
                + " not in the registry's latest applied version; compare a training set built"
                + " from the current definitions, or apply definitions that have it. (Cannot find"
                + " feature 'conv_rat' in feature view 'driver_stats' (did you mean"
                + " 'conv_rate'?))",
            trainingSet.location());
  }

  @Test
  void rejectsATrainingSetWithoutTheFeatureColumn() {
    DriftTestData.write(DriftTestData.rows(1, 10, T0, Plant.NONE), SCHEMA, dir.resolve("training"));
    TrainingSet trainingSet =
        new TrainingSet(
            dir.resolve("training").toUri().toString(),
            List.of("driver_stats:conv_rate"),
            List.of("driver_stats__conv_rate"));

    assertThatThrownBy(() -> run(trainingSet, T0, CURRENT))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot compute drift of the training set at %s: it has no column"
                + " 'driver_stats__conv_rate' for feature driver_stats:conv_rate (its columns:"
                + " driver_id, event_timestamp, conv_rate, trips, segment, active, embedding);"
                + " the Parquet files do not match its _manifest.json",
            trainingSet.location());
  }
}
