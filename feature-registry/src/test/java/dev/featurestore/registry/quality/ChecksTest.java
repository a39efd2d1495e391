/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private static final FeatureChecks RATE =
      new FeatureChecks(
          OptionalDouble.of(0), OptionalDouble.of(1), OptionalDouble.of(0.05), List.of());
  private static final FeatureChecks SEGMENT =
      new FeatureChecks(
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          List.of("gold", "silver", "bronze"));

  private static final FeatureView VIEW =
      new FeatureView(
          "driver_hourly_stats",
          List.of("driver"),
          "driver_stats",
          Duration.ZERO,
          true,
          List.of(
              new Feature("conv_rate", ValueType.FLOAT64, "conv_rate", "", RATE),
              new Feature("segment", ValueType.STRING, "segment", "", SEGMENT),
              Feature.of("trips", ValueType.INT64)),
          Map.of(),
          "");

  @Test
  void passingChecksReportWhatTheySaw() {
    List<CheckResult> results =
        Checks.evaluate(
            VIEW,
            statistics(
                numeric("conv_rate", 1000, 0, 0.1, 0.9),
                category("segment", 1000, 0, 0, List.of())));

    assertThat(results)
        .containsExactly(
            new CheckResult(
                "driver_hourly_stats",
                "conv_rate",
                "min",
                true,
                "0.1",
                "0",
                "conv_rate: smallest value 0.1, min 0"),
            new CheckResult(
                "driver_hourly_stats",
                "conv_rate",
                "max",
                true,
                "0.9",
                "1",
                "conv_rate: largest value 0.9, max 1"),
            new CheckResult(
                "driver_hourly_stats",
                "conv_rate",
                "max_null_fraction",
                true,
                "0%",
                "5%",
                "conv_rate: 0% nulls (0 of 1000 rows), max_null_fraction 5%"),
            new CheckResult(
                "driver_hourly_stats",
                "segment",
                "allowed",
                true,
                "0 values not allowed",
                "[gold, silver, bronze]",
                "segment: 0 values not allowed, allowed [gold, silver, bronze]"));
    assertThat(Checks.failed(results)).isEmpty();
  }

  @Test
  void failingChecksNameObservedValueAndLimit() {
    List<CheckResult> failed =
        Checks.failed(
            Checks.evaluate(
                VIEW,
                statistics(
                    numeric("conv_rate", 1000, 73, -0.25, 1.5),
                    category("segment", 1000, 0, 3, List.of("platinum", "tin")))));

    assertThat(failed)
        .extracting(CheckResult::message)
        .containsExactly(
            "conv_rate: smallest value -0.25, min 0",
            "conv_rate: largest value 1.5, max 1",
            "conv_rate: 7.3% nulls (73 of 1000 rows), max_null_fraction 5%",
            "segment: 3 values not allowed (e.g. 'platinum', 'tin'), allowed [gold, silver,"
                + " bronze]");
    assertThat(failed.get(2).observed()).isEqualTo("7.3%");
    assertThat(failed.get(2).limit()).isEqualTo("5%");
  }

  @Test
  void aNullFractionJustAboveTheLimitIsNotShownAsTheLimit() {
    // 0.0504 rounds to 5% at one decimal: shown with more decimals so that it reads as above 5%.
    List<CheckResult> failed =
        Checks.failed(
            Checks.evaluate(
                VIEW,
                statistics(
                    numeric("conv_rate", 10_000, 504, 0, 1),
                    category("segment", 1, 0, 0, List.of()))));

    assertThat(failed)
        .extracting(CheckResult::message)
        .containsExactly("conv_rate: 5.04% nulls (504 of 10000 rows), max_null_fraction 5%");
  }

  @Test
  void rowsWithoutValuesPassAndMissingStatisticsFail() {
    List<CheckResult> results =
        Checks.evaluate(
            VIEW,
            new ViewStatistics(
                "driver_hourly_stats",
                Optional.empty(),
                Instant.parse("2026-01-01T00:00:00Z"),
                0,
                List.of(numeric("conv_rate", 0, 0, Double.NaN, Double.NaN))));

    assertThat(results)
        .extracting(CheckResult::message, CheckResult::passed)
        .containsExactly(
            tuple("conv_rate: no non-null values, min 0", true),
            tuple("conv_rate: no non-null values, max 1", true),
            tuple("conv_rate: 0% nulls (0 of 0 rows), max_null_fraction 5%", true),
            tuple("segment: no statistics computed, allowed [gold, silver, bronze]", false));
  }

  @Test
  void allowedSetsNameTheFeaturesWithAnAllowedCheck() {
    assertThat(Checks.allowedSets(VIEW))
        .isEqualTo(Map.of("segment", Set.of("gold", "silver", "bronze")));
    assertThat(Checks.evaluate(VIEW, statistics()))
        .extracting(CheckResult::check, CheckResult::passed)
        .containsExactly(
            tuple("min", false),
            tuple("max", false),
            tuple("max_null_fraction", false),
            tuple("allowed", false));
  }

  private static ViewStatistics statistics(FeatureStatistics... features) {
    return new ViewStatistics(
        "driver_hourly_stats",
        Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
        Instant.parse("2026-01-02T00:00:00Z"),
        features.length == 0 ? 0 : features[0].rows(),
        List.of(features));
  }

  /** NaN bounds mean no non-null values (no numbers). */
  private static FeatureStatistics numeric(
      String feature, long rows, long nulls, double min, double max) {
    return new FeatureStatistics(
        feature,
        ValueType.FLOAT64,
        rows,
        nulls,
        rows - nulls,
        Double.isNaN(min) ? Optional.empty() : Optional.of(new Numbers(min, max, min, 0)),
        Map.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        OptionalLong.empty(),
        List.of());
  }

  private static FeatureStatistics category(
      String feature, long rows, long nulls, long disallowed, List<String> examples) {
    return new FeatureStatistics(
        feature,
        ValueType.STRING,
        rows,
        nulls,
        3,
        Optional.empty(),
        Map.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        OptionalLong.of(disallowed),
        examples);
  }
}
