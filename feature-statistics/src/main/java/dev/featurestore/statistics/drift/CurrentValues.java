/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.definition.FeatureView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where a drift run's current values come from: the views' sources, or the online store. */
interface CurrentValues {
  /** {@link DriftReport#OFFLINE} or {@link DriftReport#ONLINE}. */
  String against();

  /** The range start; empty when there is no range. */
  Optional<Instant> start();

  /** The range end, or the lookup time. */
  Instant end();

  /**
   * Profiles the current values of some features of one view, column {@code i} of the profiles
   * holding {@code features.get(i)}.
   *
   * @throws dev.featurestore.registry.FeatureStoreException INVALID_DATA when there are no current
   *     rows of the view, naming it and what to do
   */
  Profiles profile(FeatureView view, List<DriftFeature> features, Profiles empty);
}
