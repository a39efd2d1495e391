/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;

/**
 * The population stability index of two distributions over the same buckets:
 *
 * <pre>PSI = sum over buckets i of (c_i - t_i) * ln(c_i / t_i)</pre>
 *
 * where {@code t_i} and {@code c_i} are the shares of the training and the current values in bucket
 * {@code i}. A bucket that one side leaves empty would make the logarithm infinite, so every share
 * is at least {@link #EPSILON} (the floor Evidently and most PSI write-ups use): a bucket empty in
 * the training set and holding 10% of the current values adds {@code (0.1 - 0.0001) * ln(0.1 /
 * 0.0001)} = 0.69. The usual reading: below 0.1 stable, 0.1 to 0.2 a moderate shift, above 0.2 a
 * significant one (the default threshold).
 */
final class Psi {
  /** The smallest share a bucket counts with, so that an empty bucket gives a finite score. */
  static final double EPSILON = 1e-4;

  private Psi() {}

  /**
   * Returns the PSI of two histograms over the same buckets.
   *
   * @param training the training values per bucket
   * @param current the current values per bucket, same buckets
   * @throws FeatureStoreException INTERNAL_ERROR when the bucket counts differ or a side is empty
   *     (callers check for empty data first and say what to do)
   */
  static double of(long[] training, long[] current) {
    if (training.length != current.length) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot compute a PSI: %d training buckets but %d current ones",
          training.length,
          current.length);
    }
    long trainingTotal = total(training);
    long currentTotal = total(current);
    if (trainingTotal == 0 || currentTotal == 0) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot compute a PSI: no %s values",
          trainingTotal == 0 ? "training" : "current");
    }
    double psi = 0;
    for (int i = 0; i < training.length; i++) {
      double t = Math.max((double) training[i] / trainingTotal, EPSILON);
      double c = Math.max((double) current[i] / currentTotal, EPSILON);
      psi += (c - t) * Math.log(c / t);
    }
    return psi;
  }

  private static long total(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }
}
