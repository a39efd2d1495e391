/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.ValueType;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The drift of one feature between a training set and current values.
 *
 * @param view the feature view
 * @param feature the feature
 * @param type its value type
 * @param psi the population stability index; empty when not compared
 * @param ks the two-sample Kolmogorov-Smirnov statistic; empty for categories and when not compared
 * @param drifted whether the PSI is above the threshold (or every current value is null)
 * @param trainingRows the training values compared (nulls and NaN excluded)
 * @param currentRows the current values compared (nulls and NaN excluded)
 * @param note why a feature was not compared, or what else to know; empty when nothing
 */
public record FeatureDrift(
    String view,
    String feature,
    ValueType type,
    OptionalDouble psi,
    OptionalDouble ks,
    boolean drifted,
    long trainingRows,
    long currentRows,
    Optional<String> note) {
  public FeatureDrift {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
    requireNonNull(type, "type is null");
    requireNonNull(psi, "psi is null");
    requireNonNull(ks, "ks is null");
    requireNonNull(note, "note is null");
  }

  /** Returns {@code view:feature}. */
  public String reference() {
    return view + ":" + feature;
  }
}
