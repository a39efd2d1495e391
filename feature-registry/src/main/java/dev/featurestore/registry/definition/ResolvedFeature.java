/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

/** A feature reference resolved against the definitions: the view and the typed feature. */
public record ResolvedFeature(FeatureView view, Feature feature) {
  public ResolvedFeature {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
  }

  /** Returns {@code view:feature}. */
  public String reference() {
    return view.name() + ":" + feature.name();
  }

  /** Returns {@code view__feature}, the output name with full feature names. */
  public String fullName() {
    return view.name() + "__" + feature.name();
  }
}
