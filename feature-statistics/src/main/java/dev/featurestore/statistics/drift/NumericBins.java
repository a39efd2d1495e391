/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The PSI buckets of a number feature: edges at the training values' quantiles {@code 1/n ..
 * (n-1)/n} (deciles for the default 10 bins), from the training set's KLL sketch. A bucket holds
 * the values above its lower edge up to and including its upper edge, {@code (e[i-1], e[i]]}; the
 * first is open below and the last above, so current values outside the training range land in the
 * end buckets. Equal quantiles (a feature with few distinct values) collapse into one edge, so such
 * a feature has fewer buckets, each value in its own.
 */
final class NumericBins implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default number of buckets: deciles. */
  static final int DEFAULT_BINS = DriftOptions.DEFAULT_BINS;

  private final double[] edges;

  NumericBins(double[] edges) {
    this.edges = edges.clone();
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i - 1] < edges[i])) {
        throw new IllegalArgumentException(
            "edges are not strictly increasing: " + Arrays.toString(edges));
      }
    }
  }

  /** The buckets of {@code bins} quantiles of the training values (a non-empty sketch). */
  static NumericBins ofQuantiles(KllDoublesSketch training, int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException("bins must be at least 2: " + bins);
    }
    double[] ranks = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      ranks[i - 1] = (double) i / bins;
    }
    double[] quantiles = training.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
    return new NumericBins(Arrays.stream(quantiles).distinct().sorted().toArray());
  }

  /** The number of buckets: one more than the edges. */
  int count() {
    return edges.length + 1;
  }

  /** The bucket of a value: how many edges lie strictly below it. */
  int bucket(double value) {
    int at = Arrays.binarySearch(edges, value);
    // Found: the value is an edge, the upper bound of bucket `at`. Not found: the insertion point,
    // the number of edges below the value.
    return at >= 0 ? at : -at - 1;
  }

  /** The edges, lowest first. */
  double[] edges() {
    return edges.clone();
  }

  @Override
  public String toString() {
    return "NumericBins" + Arrays.toString(edges);
  }
}
