/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Definitions;
import java.util.Map;
import java.util.Optional;

/**
 * Validated definitions together with where each part was written, so that later checks (the source
 * schema check of {@code plan}) can point at a file, line and column.
 *
 * @param definitions the validated definitions
 * @param locations locations by path: {@code feature_views.driver_stats}, {@code
 *     feature_views.driver_stats.features.conv_rate}, {@code sources.driver_src.timestamp_field},
 *     {@code entities.driver.join_keys.driver_id}, ...
 */
public record ParsedDefinitions(Definitions definitions, Map<String, Location> locations) {
  public ParsedDefinitions {
    requireNonNull(definitions, "definitions is null");
    locations = Map.copyOf(requireNonNull(locations, "locations is null"));
  }

  /** Returns the location of a path, or of its closest enclosing path that has one. */
  public Optional<Location> location(String path) {
    String current = path;
    while (true) {
      Location location = locations.get(current);
      if (location != null) {
        return Optional.of(location);
      }
      int dot = current.lastIndexOf('.');
      if (dot < 0) {
        return Optional.empty();
      }
      current = current.substring(0, dot);
    }
  }
}
