/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import java.util.Map;

/**
 * One parsed definition with where it came from.
 *
 * @param value the definition
 * @param location where the definition starts
 * @param at locations of its parts by relative path ({@code source}, {@code entities[0]}, {@code
 *     features.conv_rate.type}, ...)
 */
record Parsed<T>(T value, Location location, Map<String, Location> at) {
  Parsed {
    at = Map.copyOf(at);
  }

  Location at(String path) {
    return at.getOrDefault(path, location);
  }
}
