/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import dev.featurestore.registry.quality.Numbers;
import java.io.Serializable;
import java.util.Optional;

/**
 * Count, min, max, mean and the sum of squared deviations of a stream of numbers, mergeable: values
 * are added with Welford's update and two partial results merged with Chan et al.'s formula, both
 * numerically stable (no sum of squares that cancels).
 */
final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;

  long count;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  double mean;
  double m2;

  void add(double value) {
    count++;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
  }

  void merge(Moments other) {
    if (other.count == 0) {
      return;
    }
    if (count == 0) {
      count = other.count;
      min = other.min;
      max = other.max;
      mean = other.mean;
      m2 = other.m2;
      return;
    }
    long total = count + other.count;
    double delta = other.mean - mean;
    mean += delta * ((double) other.count / total);
    m2 += other.m2 + delta * delta * ((double) count * other.count / total);
    count = total;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** Returns min, max, mean and the sample stddev; empty when no value was added. */
  Optional<Numbers> numbers() {
    if (count == 0) {
      return Optional.empty();
    }
    double stddev = count > 1 ? Math.sqrt(Math.max(0, m2) / (count - 1)) : 0;
    // Rounding may put the mean of nearly equal values a hair outside [min, max].
    double clamped = Math.min(max, Math.max(min, mean));
    return Optional.of(new Numbers(min, max, clamped, stddev));
  }
}
