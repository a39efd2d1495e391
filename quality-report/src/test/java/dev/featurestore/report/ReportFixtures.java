/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A realistic report dataset: the rides example's definitions in a real {@link FileRegistry}, with
 * freshness expectations, watermarks (one view fresh, one stale, one never materialized) and a
 * statistics history of several runs with checks.
 */
final class ReportFixtures {
  static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");

  private ReportFixtures() {}

  /** The rides definitions; driver_hourly_stats expects 2h freshness, customer_profile 1h. */
  static Definitions definitions() {
    Definitions rides = TestDefinitions.rides();
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView view : rides.featureViews()) {
      views.add(
          switch (view.name()) {
            case "driver_hourly_stats" -> view.withFreshness(Optional.of(Duration.ofHours(2)));
            case "customer_profile" -> view.withFreshness(Optional.of(Duration.ofHours(1)));
            default -> view;
          });
    }
    return new Definitions(
        rides.project(), rides.entities(), rides.sources(), views, rides.featureServices());
  }

  /**
   * A registry under {@code dir} with the definitions applied, watermarks written (driver_hourly 30
   * minutes old: fresh; customer_profile 5 hours old: stale; driver_daily none) and 4 runs of
   * driver_hourly_stats (the last with a failed check) and 1 of customer_profile.
   */
  static Registry registry(Path dir) {
    Registry registry = FileRegistry.open(dir);
    registry.apply(definitions());
    registry.watermarks().write("driver_hourly_stats", NOW.minus(Duration.ofMinutes(30)));
    registry.watermarks().write("customer_profile", NOW.minus(Duration.ofHours(5)));
    for (StatisticsRun run : hourlyRuns()) {
      registry.statistics().append(run);
    }
    registry.statistics().append(customerRun());
    return registry;
  }

  /** The registry's latest version (the applied fixture definitions, freshness included). */
  static RegistryVersion version(Registry registry) {
    return registry.latest().orElseThrow();
  }

  static List<StatisticsRun> hourlyRuns() {
    List<StatisticsRun> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant end = NOW.minus(Duration.ofHours(3 - i)).minus(Duration.ofMinutes(30));
      long rows = 4800 + 100L * i;
      long nulls = i == 3 ? 420 : 12 * i;
      ViewStatistics stats =
          new ViewStatistics(
              "driver_hourly_stats",
              Optional.of(end.minus(Duration.ofHours(1))),
              end,
              rows,
              List.of(
                  numeric("conv_rate", ValueType.FLOAT64, rows, nulls, 0.52 + 0.01 * i, 0.11, 0),
                  numeric("acc_rate", ValueType.FLOAT32, rows, 0, 0.81, 0.07, 1),
                  numeric("avg_daily_trips", ValueType.INT64, rows, 3, 410 + 5 * i, 160, 2)));
      List<CheckResult> checks =
          List.of(
              new CheckResult(
                  "driver_hourly_stats",
                  "conv_rate",
                  "max_null_fraction",
                  nulls <= rows * 0.05,
                  Formats.percent((double) nulls / rows),
                  "5%",
                  "conv_rate: "
                      + Formats.percent((double) nulls / rows)
                      + " nulls, max_null_fraction 5%"),
              new CheckResult(
                  "driver_hourly_stats",
                  "conv_rate",
                  "max",
                  true,
                  "0.85",
                  "1",
                  "conv_rate: max 0.85, max 1"));
      runs.add(
          new StatisticsRun(
              "run-hourly-" + i,
              "driver_hourly_stats",
              1,
              end.plusSeconds(40),
              i == 0 ? StatisticsRun.STATS : StatisticsRun.MATERIALIZE,
              stats,
              checks));
    }
    return runs;
  }

  static StatisticsRun customerRun() {
    Instant end = NOW.minus(Duration.ofHours(5));
    Map<String, Long> segments = new LinkedHashMap<>();
    segments.put("gold", 410L);
    segments.put("silver", 980L);
    segments.put("bronze", 1460L);
    segments.put("<b>platinum & \"vip\"</b>", 7L);
    ViewStatistics stats =
        new ViewStatistics(
            "customer_profile",
            Optional.empty(),
            end,
            2900,
            List.of(
                numeric("current_balance", ValueType.FLOAT64, 2900, 0, 120.5, 48.0, 3),
                numeric("avg_passenger_count", ValueType.FLOAT64, 2900, 0, 1.7, 0.6, 4),
                numeric("lifetime_trip_count", ValueType.INT64, 2900, 0, 380, 140, 5),
                categorical("segment", 2900, 43, segments)));
    return new StatisticsRun(
        "run-customer-0",
        "customer_profile",
        1,
        end.plusSeconds(20),
        StatisticsRun.MATERIALIZE,
        stats,
        List.of(
            new CheckResult(
                "customer_profile",
                "segment",
                "allowed",
                false,
                "7 not allowed",
                "gold, silver, bronze",
                "segment: 7 values not allowed (e.g. <b>platinum & \"vip\"</b>)")));
  }

  /**
   * Statistics of a roughly normal numeric feature: 20 bins over mean ± 3 sd, counts from the
   * normal density, quantiles from the normal quantile function.
   */
  static FeatureStatistics numeric(
      String feature, ValueType type, long rows, long nulls, double mean, double sd, int seed) {
    double min = mean - 3 * sd;
    double max = mean + 3 * sd;
    double width = (max - min) / 20;
    List<Bin> bins = new ArrayList<>();
    long left = rows - nulls;
    double[] weights = new double[20];
    double total = 0;
    for (int b = 0; b < 20; b++) {
      double z = (min + (b + 0.5) * width - mean) / sd;
      weights[b] = Math.exp(-z * z / 2) * (1 + 0.05 * ((b * 7 + seed) % 3));
      total += weights[b];
    }
    for (int b = 0; b < 20; b++) {
      long count = b == 19 ? left : Math.round((rows - nulls) * weights[b] / total);
      count = Math.min(count, left);
      left -= count;
      bins.add(new Bin(min + b * width, min + (b + 1) * width, count));
    }
    Map<String, Double> quantiles = new LinkedHashMap<>();
    double[] z = {-2.326, -1.645, -0.674, 0, 0.674, 1.645, 2.326};
    String[] names = {"p1", "p5", "p25", "p50", "p75", "p95", "p99"};
    for (int i = 0; i < z.length; i++) {
      quantiles.put(names[i], mean + z[i] * sd);
    }
    return new FeatureStatistics(
        feature,
        type,
        rows,
        nulls,
        Math.min(rows - nulls, 1500 + 100L * seed),
        Optional.of(new Numbers(min, max, mean, sd)),
        quantiles,
        bins,
        List.of(),
        Optional.empty(),
        OptionalLong.empty(),
        List.of());
  }

  /** Statistics of a string feature with the given top values (most frequent first or not). */
  static FeatureStatistics categorical(
      String feature, long rows, long nulls, Map<String, Long> topValues) {
    List<ValueCount> top = new ArrayList<>();
    topValues.forEach((value, count) -> top.add(new ValueCount(value, count)));
    return new FeatureStatistics(
        feature,
        ValueType.STRING,
        rows,
        nulls,
        topValues.size(),
        Optional.empty(),
        Map.of(),
        List.of(),
        top,
        Optional.empty(),
        OptionalLong.of(7),
        List.of("<b>platinum & \"vip\"</b>"));
  }
}
