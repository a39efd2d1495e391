/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The statistics of every feature of one feature view over the rows of a time window.
 *
 * @param view the feature view name
 * @param start the window's start (inclusive); empty for "from the beginning"
 * @param end the window's end (inclusive)
 * @param rows the number of rows in the window
 * @param features one entry per feature, in the view's declaration order
 */
public record ViewStatistics(
    String view,
    Optional<Instant> start,
    Instant end,
    long rows,
    List<FeatureStatistics> features) {
  public ViewStatistics {
    requireNonNull(view, "view is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** Returns the statistics of the named feature. */
  public Optional<FeatureStatistics> feature(String name) {
    return features.stream().filter(f -> f.feature().equals(name)).findFirst();
  }
}
