/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import java.util.List;

/**
 * The values an online store serves now, for {@code drift --against online}: the caller samples
 * entities and looks them up (the cli does so through the online service's own lookup code).
 */
public interface ServedValues {
  /**
   * Returns the served values of some features of a view for the sampled entities: one list per
   * entity, the features' values in the order asked, null where none is served. Numbers as {@link
   * Number}, timestamps as {@link Long} microseconds since the epoch (the online codec's decoded
   * form) or {@link java.time.Instant}, strings as {@link String}, bools as {@link Boolean}. Empty
   * when no entity of the view is online.
   */
  List<List<Object>> values(FeatureView view, List<Feature> features);
}
