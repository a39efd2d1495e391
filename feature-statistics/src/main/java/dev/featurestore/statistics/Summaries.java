/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.ValueCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/** Turns a column's merged state into its {@link FeatureStatistics}, on the driver. */
final class Summaries {
  static final int HISTOGRAM_BINS = 20;
  static final int TOP_VALUES = 10;

  private Summaries() {}

  static FeatureStatistics of(String feature, long rows, ColumnState state) {
    ValueType type = state.type;
    boolean numeric = isNumeric(type);
    Optional<Numbers> numbers = numeric ? state.moments.numbers() : Optional.empty();
    Map<String, Double> quantiles = Map.of();
    List<Bin> histogram = List.of();
    if (numeric && state.kll != null && !state.kll.isEmpty()) {
      quantiles = quantiles(state.kll);
      histogram = histogram(state.kll, numbers.orElseThrow());
    }
    return new FeatureStatistics(
        feature,
        type,
        rows,
        state.nulls,
        distinct(state),
        numbers,
        quantiles,
        histogram,
        topValues(state),
        type.isArray() ? state.moments.numbers() : Optional.empty(),
        state.hasAllowedSet() ? OptionalLong.of(state.disallowed) : OptionalLong.empty(),
        List.copyOf(state.examples));
  }

  static boolean isNumeric(ValueType type) {
    return switch (type) {
      case INT32, INT64, FLOAT32, FLOAT64, TIMESTAMP -> true;
      case STRING,
          BOOL,
          BYTES,
          ARRAY_INT32,
          ARRAY_INT64,
          ARRAY_FLOAT32,
          ARRAY_FLOAT64,
          ARRAY_STRING ->
          false;
    };
  }

  /**
   * The nearest-rank quantile: the smallest retained value whose inclusive rank reaches p (exact
   * while a column has at most 200 values, KLL's k; else within KLL's rank error).
   */
  private static Map<String, Double> quantiles(KllDoublesSketch kll) {
    Map<String, Double> quantiles = new LinkedHashMap<>();
    FeatureStatistics.QUANTILE_RANKS.forEach(
        (name, rank) ->
            quantiles.put(name, kll.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE)));
    return quantiles;
  }

  /**
   * 20 equal-width bins from min to max (the last one closed), counted from the sketch's CDF; the
   * counts add up to the non-null values. One bin when min equals max.
   */
  private static List<Bin> histogram(KllDoublesSketch kll, Numbers numbers) {
    long n = kll.getN();
    double min = numbers.min();
    double max = numbers.max();
    double width = (max - min) / HISTOGRAM_BINS;
    double[] splits = new double[HISTOGRAM_BINS - 1];
    for (int i = 0; i < splits.length; i++) {
      splits[i] = min + (i + 1) * width;
    }
    if (!(width > 0) || !increasing(splits, min, max)) {
      return List.of(new Bin(min, max, n));
    }
    double[] cdf = kll.getCDF(splits, QuantileSearchCriteria.EXCLUSIVE);
    List<Bin> bins = new ArrayList<>(HISTOGRAM_BINS);
    long below = 0;
    for (int i = 0; i < HISTOGRAM_BINS; i++) {
      long upTo = i == HISTOGRAM_BINS - 1 ? n : Math.round(cdf[i] * n);
      double lower = i == 0 ? min : splits[i - 1];
      double upper = i == HISTOGRAM_BINS - 1 ? max : splits[i];
      bins.add(new Bin(lower, upper, Math.max(0, upTo - below)));
      below = Math.max(below, upTo);
    }
    return bins;
  }

  private static boolean increasing(double[] splits, double min, double max) {
    double previous = min;
    for (double split : splits) {
      if (!(split > previous)) {
        return false;
      }
      previous = split;
    }
    return max > previous;
  }

  private static long distinct(ColumnState state) {
    if (state.type == ValueType.BOOL) {
      return (state.trues > 0 ? 1 : 0) + (state.falses > 0 ? 1 : 0);
    }
    return state.hll == null ? 0 : Math.round(state.hll.getEstimate());
  }

  private static List<ValueCount> topValues(ColumnState state) {
    List<ValueCount> values = new ArrayList<>();
    if (state.type == ValueType.BOOL) {
      if (state.trues > 0) {
        values.add(new ValueCount("true", state.trues));
      }
      if (state.falses > 0) {
        values.add(new ValueCount("false", state.falses));
      }
    } else if (state.items != null) {
      Arrays.stream(state.items.getFrequentItems(ErrorType.NO_FALSE_POSITIVES))
          .map(ItemsSketch.Row::getItem)
          .forEach(item -> values.add(new ValueCount(item, state.items.getEstimate(item))));
    }
    values.sort(
        Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value));
    return values.size() > TOP_VALUES ? values.subList(0, TOP_VALUES) : values;
  }
}
