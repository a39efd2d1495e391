/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.Optional;

/**
 * An aggregation written with a {@code column:} but without {@code type:}: everything of it but the
 * column's type, which {@code plan} and {@code apply} read from the schema of its view's source
 * ({@link ParseResult#withColumnTypes}). Until then it is not among its view's aggregations, so
 * that every {@link Aggregation} has its column's type.
 *
 * @param view the feature view's name
 * @param position where the aggregation goes among the view's aggregations, in declaration order
 *     (counting the ones that parsed)
 * @param name the feature name
 * @param function the function
 * @param column the source column aggregated
 * @param window the window
 * @param n how many values {@code last_n} keeps; 0 for every other function
 * @param description free text, empty when absent
 * @param location where its {@code column:} is written, for problems about the column's type
 */
public record UntypedAggregation(
    String view,
    int position,
    String name,
    AggregationFunction function,
    String column,
    Duration window,
    int n,
    String description,
    Location location) {
  public UntypedAggregation {
    requireNonNull(view, "view is null");
    requireNonNull(name, "name is null");
    requireNonNull(function, "function is null");
    requireNonNull(column, "column is null");
    requireNonNull(window, "window is null");
    requireNonNull(location, "location is null");
    description = description == null ? "" : description;
  }

  /** Returns the aggregation with its column's type. */
  public Aggregation withColumnType(ValueType columnType) {
    return new Aggregation(
        name, function, Optional.of(column), Optional.of(columnType), window, n, description);
  }

  /** The aggregation in messages: {@code aggregation 'fare_sum' of feature view 'trips'}. */
  public String describe() {
    return "aggregation '" + name + "' of feature view '" + view + "'";
  }

  /**
   * The start of every problem about reading the column's type: {@code type of column 'fare' of
   * aggregation 'fare_sum' of feature view 'trips'}.
   */
  public String typeOfColumn() {
    return "type of column '" + column + "' of " + describe();
  }

  /** What would be right when the type cannot be read: {@code add type: <one of int32, ...>}. */
  public String addTypeHint() {
    return "add type: <one of " + AggregationFunction.typeNames(function.acceptedTypes()) + ">";
  }
}
