/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

/**
 * Summary numbers of a set of values (a numeric feature's values, or an array feature's lengths).
 *
 * @param min the smallest value
 * @param max the largest value
 * @param mean the arithmetic mean
 * @param stddev the sample standard deviation (divisor n - 1); 0 for a single value
 */
public record Numbers(double min, double max, double mean, double stddev) {
  public Numbers {
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
    if (stddev < 0) {
      throw new IllegalArgumentException("stddev is negative: " + stddev);
    }
  }
}
