/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

/**
 * One bin of a histogram: the values in {@code [lower, upper)}, the last bin of a histogram also
 * holding the values equal to its {@code upper}.
 *
 * @param lower the lower bound (inclusive)
 * @param upper the upper bound (exclusive, except for the last bin)
 * @param count the number of values in the bin
 */
public record Bin(double lower, double upper, long count) {
  public Bin {
    if (lower > upper) {
      throw new IllegalArgumentException("lower " + lower + " is above upper " + upper);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count is negative: " + count);
    }
  }
}
