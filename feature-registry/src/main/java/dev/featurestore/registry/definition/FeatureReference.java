/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;

/**
 * A reference to features of a view: {@code view:feature}, or {@code view:*} for all of them.
 *
 * @param view the feature view name
 * @param feature the feature name, or {@value #ALL}
 */
public record FeatureReference(String view, String feature) {
  /** The feature name that selects every feature of a view. */
  public static final String ALL = "*";

  public FeatureReference {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
  }

  /** Parses {@code view:feature} or {@code view:*}. */
  public static FeatureReference parse(String reference) {
    requireNonNull(reference, "reference is null");
    int colon = reference.indexOf(':');
    if (colon <= 0 || colon == reference.length() - 1 || reference.indexOf(':', colon + 1) >= 0) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid feature reference '%s': expected view:feature or view:*",
          reference);
    }
    return new FeatureReference(
        reference.substring(0, colon).trim(), reference.substring(colon + 1).trim());
  }

  /** Returns true for {@code view:*}. */
  public boolean isWildcard() {
    return ALL.equals(feature);
  }

  @Override
  public String toString() {
    return view + ":" + feature;
  }
}
