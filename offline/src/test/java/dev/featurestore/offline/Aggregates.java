/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders of aggregated views for the offline tests. */
final class Aggregates {
  private Aggregates() {}

  /** An aggregation of a column. */
  static Aggregation aggregation(
      String name, AggregationFunction function, String column, ValueType type, Duration window) {
    return new Aggregation(name, function, Optional.of(column), Optional.of(type), window, 0, "");
  }

  /** A {@code last_n} aggregation. */
  static Aggregation lastN(String name, String column, ValueType type, int n, Duration window) {
    return new Aggregation(
        name, AggregationFunction.LAST_N, Optional.of(column), Optional.of(type), window, n, "");
  }

  /** A row count. */
  static Aggregation count(String name, Duration window) {
    return new Aggregation(
        name, AggregationFunction.COUNT, Optional.empty(), Optional.empty(), window, 0, "");
  }

  /** An aggregated view (no TTL, online). */
  static FeatureView aggregatedView(
      String name,
      List<String> entities,
      String source,
      Duration interval,
      Aggregation... aggregations) {
    return new FeatureView(
        name,
        entities,
        source,
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        "",
        Optional.empty(),
        Optional.of(new Aggregations(interval, List.of(aggregations))));
  }
}
