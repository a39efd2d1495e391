/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.ValueType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The statistics of one feature over a set of rows (docs/data-quality.md, "Statistics").
 *
 * @param feature the feature name
 * @param type the feature's value type
 * @param rows the number of rows looked at
 * @param nulls the rows with no value (null; for float features also NaN and infinities)
 * @param approxDistinct the approximate number of distinct non-null values (0 for arrays)
 * @param numbers min, max, mean and stddev of the non-null values of a numeric or timestamp feature
 *     (timestamps in epoch seconds); empty for other types and when every value is null
 * @param quantiles {@code p1, p5, p25, p50, p75, p95, p99} of a numeric or timestamp feature, in
 *     that order; empty otherwise
 * @param histogram 20 equal-width bins between min and max (one bin when they are equal) of a
 *     numeric or timestamp feature; empty otherwise
 * @param topValues up to 10 most frequent values of a string or bool feature, most frequent first
 *     (ties by value); empty otherwise
 * @param arrayLengths min, max, mean and stddev of the lengths of an array feature's non-null
 *     arrays; empty otherwise
 * @param disallowed present when the caller gave the feature an allowed set: the number of non-null
 *     values outside it
 * @param disallowedExamples up to 5 of those values (the smallest, in string order)
 */
public record FeatureStatistics(
    String feature,
    ValueType type,
    long rows,
    long nulls,
    long approxDistinct,
    Optional<Numbers> numbers,
    Map<String, Double> quantiles,
    List<Bin> histogram,
    List<ValueCount> topValues,
    Optional<Numbers> arrayLengths,
    OptionalLong disallowed,
    List<String> disallowedExamples) {

  /** The quantile names, in order, with their ranks. */
  public static final Map<String, Double> QUANTILE_RANKS = quantileRanks();

  public FeatureStatistics {
    requireNonNull(feature, "feature is null");
    requireNonNull(type, "type is null");
    if (rows < 0 || nulls < 0 || nulls > rows) {
      throw new IllegalArgumentException(
          "Invalid statistics of feature '" + feature + "': rows " + rows + ", nulls " + nulls);
    }
    requireNonNull(numbers, "numbers is null");
    // Keep the order p1..p99 (Map.copyOf would not).
    quantiles =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(quantiles, "quantiles is null")));
    histogram = List.copyOf(requireNonNull(histogram, "histogram is null"));
    topValues = List.copyOf(requireNonNull(topValues, "topValues is null"));
    requireNonNull(arrayLengths, "arrayLengths is null");
    requireNonNull(disallowed, "disallowed is null");
    disallowedExamples =
        List.copyOf(requireNonNull(disallowedExamples, "disallowedExamples is null"));
  }

  /** Returns nulls / rows; 0 when there are no rows. */
  public double nullFraction() {
    return rows == 0 ? 0 : (double) nulls / rows;
  }

  /** Returns the non-null rows. */
  public long nonNull() {
    return rows - nulls;
  }

  private static Map<String, Double> quantileRanks() {
    Map<String, Double> ranks = new LinkedHashMap<>();
    ranks.put("p1", 0.01);
    ranks.put("p5", 0.05);
    ranks.put("p25", 0.25);
    ranks.put("p50", 0.50);
    ranks.put("p75", 0.75);
    ranks.put("p95", 0.95);
    ranks.put("p99", 0.99);
    return Collections.unmodifiableMap(ranks);
  }
}
