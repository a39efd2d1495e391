/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.util.Optional;
import java.util.Set;

/**
 * One column to compute the statistics of (on the driver: what travels to the executors is {@code
 * ColumnState}).
 *
 * @param feature the feature name the statistics are reported under
 * @param type the feature's declared type (the column is cast to it when it differs)
 * @param column the column's name in the rows
 * @param allowed the values allowed (in string form: {@code true}, {@code 42}, {@code 0.5}); when
 *     present, the statistics count the non-null values outside it. Not for bytes and arrays.
 */
public record StatisticsColumn(
    String feature, ValueType type, String column, Optional<Set<String>> allowed) {
  public StatisticsColumn {
    requireNonNull(feature, "feature is null");
    requireNonNull(type, "type is null");
    requireNonNull(column, "column is null");
    allowed = requireNonNull(allowed, "allowed is null").map(Set::copyOf);
    if (allowed.isPresent() && (type.isArray() || type == ValueType.BYTES)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot compute statistics of feature '%s': an allowed set applies to string, bool,"
              + " number and timestamp features, not %s",
          feature,
          type.typeName());
    }
  }

  /** A column with no allowed set, named as its feature. */
  public static StatisticsColumn of(String feature, ValueType type) {
    return new StatisticsColumn(feature, type, feature, Optional.empty());
  }
}
