/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A feature view's windowed aggregations over a source of raw events: the tile size and the
 * aggregations, in declaration order (docs/aggregations.md).
 *
 * @param interval the tile size {@code H} ({@code aggregation_interval}, default {@link
 *     #DEFAULT_INTERVAL}); every window is a positive multiple of it
 * @param aggregations the aggregations, in declaration order
 */
public record Aggregations(Duration interval, List<Aggregation> aggregations)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The tile size when a view declares no {@code aggregation_interval}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

  public Aggregations {
    requireNonNull(interval, "interval is null");
    aggregations = List.copyOf(requireNonNull(aggregations, "aggregations is null"));
  }

  /** The longest window; tiles older than it plus one interval are never read. */
  public Duration longestWindow() {
    return aggregations.stream()
        .map(Aggregation::window)
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /** Returns the aggregation with this name. */
  public Optional<Aggregation> aggregation(String name) {
    return aggregations.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * The features these aggregations are, in declaration order (see {@link Aggregation#asFeature}).
   */
  public List<Feature> asFeatures() {
    return aggregations.stream().map(Aggregation::asFeature).toList();
  }
}
