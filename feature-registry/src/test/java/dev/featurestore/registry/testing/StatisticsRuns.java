/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Test-data builders of statistics runs (hand-made numbers, no Spark). */
public final class StatisticsRuns {
  private StatisticsRuns() {}

  /**
   * A small run of a view: one float64 feature {@code conv_rate} over {@code rows} rows, window the
   * day before {@code computedAt}, no checks.
   */
  public static StatisticsRun run(String view, String runId, Instant computedAt, long rows) {
    FeatureStatistics conv =
        new FeatureStatistics(
            "conv_rate",
            ValueType.FLOAT64,
            rows,
            0,
            rows,
            Optional.of(new Numbers(0.25, 0.75, 0.5, 0.25)),
            Map.of(),
            List.of(),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());
    ViewStatistics statistics =
        new ViewStatistics(
            view,
            Optional.of(computedAt.minus(Duration.ofDays(1))),
            computedAt,
            rows,
            List.of(conv));
    return new StatisticsRun(
        runId, view, 3, computedAt, StatisticsRun.MATERIALIZE, statistics, List.of());
  }

  /**
   * A run using every part of the records: numbers with quantiles and a histogram, a string feature
   * with top values and disallowed values, array lengths, an open window start, and one passed and
   * one failed check.
   */
  public static StatisticsRun full(String view, String runId, Instant computedAt) {
    Map<String, Double> quantiles = new LinkedHashMap<>();
    quantiles.put("p1", 0.01);
    quantiles.put("p5", 0.05);
    quantiles.put("p25", 0.25);
    quantiles.put("p50", 0.5);
    quantiles.put("p75", 0.75);
    quantiles.put("p95", 0.95);
    quantiles.put("p99", 0.99);
    FeatureStatistics conv =
        new FeatureStatistics(
            "conv_rate",
            ValueType.FLOAT64,
            1000,
            73,
            412,
            Optional.of(new Numbers(0.0, 1.0, 0.4995, 0.2887)),
            quantiles,
            List.of(new Bin(0.0, 0.5, 480), new Bin(0.5, 1.0, 447)),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());
    FeatureStatistics segment =
        new FeatureStatistics(
            "segment",
            ValueType.STRING,
            1000,
            0,
            4,
            Optional.empty(),
            Map.of(),
            List.of(),
            List.of(new ValueCount("gold", 600), new ValueCount("silver", 390)),
            Optional.empty(),
            OptionalLong.of(10),
            List.of("platinum"));
    FeatureStatistics trips =
        new FeatureStatistics(
            "recent_trips",
            ValueType.ARRAY_INT64,
            1000,
            5,
            900,
            Optional.of(new Numbers(1, 99, 42.5, 7.25)),
            Map.of(),
            List.of(),
            List.of(),
            Optional.of(new Numbers(0, 10, 3.5, 1.5)),
            OptionalLong.empty(),
            List.of());
    ViewStatistics statistics =
        new ViewStatistics(view, Optional.empty(), computedAt, 1000, List.of(conv, segment, trips));
    List<CheckResult> checks =
        List.of(
            new CheckResult(
                view,
                "conv_rate",
                "max_null_fraction",
                false,
                "7.3%",
                "5%",
                "conv_rate: 7.3% nulls, max_null_fraction 5%"),
            new CheckResult(view, "conv_rate", "max", true, "1.0", "1.0", "conv_rate: max 1.0"));
    return new StatisticsRun(runId, view, 12, computedAt, StatisticsRun.STATS, statistics, checks);
  }
}
