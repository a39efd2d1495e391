/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * Evaluates the {@link FeatureChecks} of a view's features on the {@link ViewStatistics} of the
 * rows they apply to. Pure Java: the statistics come from elsewhere (Spark during materialization).
 *
 * <p>Rules: {@code min}/{@code max} compare the smallest/largest non-null value (inclusive limits);
 * {@code max_null_fraction} compares nulls / rows (0 when there are no rows); {@code allowed}
 * counts non-null values outside the set, which the statistics must have been computed with (see
 * {@link #allowedSets}). A check on rows without non-null values passes: there is nothing to
 * violate. A check whose statistics are missing fails, saying so, rather than passing unseen.
 */
public final class Checks {
  private Checks() {}

  /**
   * Returns the result of every check declared in the view, in feature and then {@link
   * FeatureChecks#NAMES} order; empty when the view declares none.
   */
  public static List<CheckResult> evaluate(FeatureView view, ViewStatistics statistics) {
    List<CheckResult> results = new ArrayList<>();
    for (Feature feature : view.features()) {
      FeatureChecks checks = feature.checks();
      if (checks.isEmpty()) {
        continue;
      }
      Optional<FeatureStatistics> found = statistics.feature(feature.name());
      if (found.isEmpty()) {
        for (String check : declared(checks)) {
          results.add(
              new CheckResult(
                  view.name(),
                  feature.name(),
                  check,
                  false,
                  "not computed",
                  limit(checks, check),
                  feature.name()
                      + ": no statistics computed, "
                      + check
                      + " "
                      + limit(checks, check)));
        }
        continue;
      }
      new Evaluation(view.name(), feature.name(), checks, found.get(), results).run();
    }
    return List.copyOf(results);
  }

  /** Returns the failed results among these. */
  public static List<CheckResult> failed(List<CheckResult> results) {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /**
   * Returns, per feature with an {@code allowed} check, its allowed values: what the statistics of
   * the view must be computed with so that {@link FeatureStatistics#disallowed} is present.
   */
  public static Map<String, Set<String>> allowedSets(FeatureView view) {
    Map<String, Set<String>> sets = new LinkedHashMap<>();
    for (Feature feature : view.features()) {
      if (!feature.checks().allowed().isEmpty()) {
        sets.put(feature.name(), Set.copyOf(new LinkedHashSet<>(feature.checks().allowed())));
      }
    }
    return Map.copyOf(sets);
  }

  private static List<String> declared(FeatureChecks checks) {
    List<String> names = new ArrayList<>();
    checks.min().ifPresent(v -> names.add("min"));
    checks.max().ifPresent(v -> names.add("max"));
    checks.maxNullFraction().ifPresent(v -> names.add("max_null_fraction"));
    if (!checks.allowed().isEmpty()) {
      names.add("allowed");
    }
    return names;
  }

  private static String limit(FeatureChecks checks, String check) {
    return switch (check) {
      case "min" -> number(checks.min().orElseThrow());
      case "max" -> number(checks.max().orElseThrow());
      case "max_null_fraction" -> percent(checks.maxNullFraction().orElseThrow(), 6);
      case "allowed" -> allowedList(checks.allowed());
      default -> throw new IllegalArgumentException("unknown check " + check);
    };
  }

  /** The checks of one feature against its statistics. */
  private record Evaluation(
      String view,
      String feature,
      FeatureChecks checks,
      FeatureStatistics statistics,
      List<CheckResult> into) {
    void run() {
      checks
          .min()
          .ifPresent(
              min ->
                  bound(
                      "min",
                      min,
                      statistics.numbers().map(Numbers::min),
                      "smallest value",
                      v -> v >= min));
      checks
          .max()
          .ifPresent(
              max ->
                  bound(
                      "max",
                      max,
                      statistics.numbers().map(Numbers::max),
                      "largest value",
                      v -> v <= max));
      checks.maxNullFraction().ifPresent(this::nullFraction);
      if (!checks.allowed().isEmpty()) {
        allowed();
      }
    }

    private void bound(
        String check, double limit, Optional<Double> value, String what, DoublePredicate ok) {
      if (value.isEmpty()) {
        add(check, true, "no values", number(limit), "no non-null values");
        return;
      }
      double observed = value.get();
      add(check, ok.test(observed), number(observed), number(limit), what + " " + number(observed));
    }

    private void nullFraction(double limit) {
      double observed = statistics.nullFraction();
      boolean passed = observed <= limit;
      String shown = percent(observed, 1);
      if (!passed && shown.equals(percent(limit, 6))) {
        // 5.04% of nulls against 5% must not read "5% nulls, max_null_fraction 5%".
        shown = percent(observed, 4);
      }
      add(
          "max_null_fraction",
          passed,
          shown,
          percent(limit, 6),
          shown + " nulls (" + statistics.nulls() + " of " + statistics.rows() + " rows)");
    }

    private void allowed() {
      String limit = allowedList(checks.allowed());
      if (statistics.disallowed().isEmpty()) {
        add("allowed", false, "not computed", limit, "values outside the set were not counted");
        return;
      }
      long outside = statistics.disallowed().getAsLong();
      String examples =
          statistics.disallowedExamples().isEmpty()
              ? ""
              : statistics.disallowedExamples().stream()
                  .map(e -> "'" + e + "'")
                  .collect(Collectors.joining(", ", " (e.g. ", ")"));
      String observed = outside + (outside == 1 ? " value" : " values") + " not allowed";
      add("allowed", outside == 0, observed, limit, observed + examples);
    }

    private void add(String check, boolean passed, String observed, String limit, String text) {
      into.add(
          new CheckResult(
              view,
              feature,
              check,
              passed,
              observed,
              limit,
              feature + ": " + text + ", " + check + " " + limit));
    }
  }

  private static String allowedList(List<String> allowed) {
    return "[" + String.join(", ", allowed) + "]";
  }

  private static String number(double value) {
    return FeatureChecks.number(value);
  }

  /**
   * A fraction as a percentage with at most {@code decimals} decimals: 0.073 gives {@code 7.3%}.
   */
  static String percent(double fraction, int decimals) {
    return BigDecimal.valueOf(fraction * 100)
            .setScale(decimals, RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }
}
