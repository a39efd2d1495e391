/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;

/**
 * How a drift run scores.
 *
 * @param threshold a feature drifts when its PSI is above this (default {@value
 *     #DEFAULT_THRESHOLD}: the usual "significant shift")
 * @param bins the number of quantile buckets of a number feature (default {@value #DEFAULT_BINS})
 */
public record DriftOptions(double threshold, int bins) {
  /** The default PSI threshold. */
  public static final double DEFAULT_THRESHOLD = 0.2;

  /** The default number of buckets of a number feature: deciles. */
  public static final int DEFAULT_BINS = 10;

  /** The defaults. */
  public static final DriftOptions DEFAULT = new DriftOptions(DEFAULT_THRESHOLD, DEFAULT_BINS);

  public DriftOptions {
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid threshold: %s (a feature drifts when its PSI is above it; give a number above"
              + " 0, e.g. %s)",
          threshold,
          DEFAULT_THRESHOLD);
    }
    if (bins < 2 || bins > 1000) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid bins: %d (give 2 to 1000, e.g. %d)",
          bins,
          DEFAULT_BINS);
    }
  }

  /** These options with another threshold. */
  public DriftOptions withThreshold(double value) {
    return new DriftOptions(value, bins);
  }
}
