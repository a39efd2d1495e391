/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

/**
 * A value and how often it occurs.
 *
 * @param value the value in string form ({@code true}/{@code false} for booleans)
 * @param count the number of rows holding it
 */
public record ValueCount(String value, long count) {
  public ValueCount {
    requireNonNull(value, "value is null");
    if (count < 0) {
      throw new IllegalArgumentException("count is negative: " + count);
    }
  }
}
