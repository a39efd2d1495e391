/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;

/**
 * One windowed aggregation of a feature view's {@code aggregations:}: a feature whose value as of
 * time {@code t} is {@code function} over the view's source rows of the same join keys with {@code
 * floor_H(t) - window <= event_timestamp <= t} (docs/aggregations.md). Serializable, as its view
 * is.
 *
 * @param name the feature name
 * @param function the function
 * @param column the source column aggregated; empty only for a row {@code count}
 * @param columnType the column's type: as declared ({@code type:}) or read from the source's schema
 *     when the definitions were loaded; empty exactly when {@code column} is
 * @param window the window {@code W}, a positive multiple of the view's interval
 * @param n how many values {@code last_n} keeps (1 to {@link AggregationFunction#MAX_N}); 0 for
 *     every other function
 * @param description free text, empty when absent
 */
public record Aggregation(
    String name,
    AggregationFunction function,
    Optional<String> column,
    Optional<ValueType> columnType,
    Duration window,
    int n,
    String description)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public Aggregation {
    requireNonNull(name, "name is null");
    requireNonNull(function, "function is null");
    requireNonNull(column, "column is null");
    requireNonNull(columnType, "columnType is null");
    requireNonNull(window, "window is null");
    description = description == null ? "" : description;
    if (column.isPresent() != columnType.isPresent()) {
      throw new IllegalArgumentException(
          "Invalid aggregation " + name + ": a column and its type go together");
    }
    if (column.isEmpty() && !function.allowsNoColumn()) {
      throw new IllegalArgumentException(
          "Invalid aggregation " + name + ": " + function + " needs a column");
    }
  }

  /** The type of the aggregation's values, as a feature of that name has. */
  public ValueType outputType() {
    return function.outputType(columnType);
  }

  /**
   * The feature this aggregation is to every module that does not compute it (lookups, feature
   * services, statistics): its name, output type and source column (its name for a row count).
   */
  public Feature asFeature() {
    return new Feature(name, outputType(), column.orElse(name), description);
  }

  private Object writeReplace() {
    return new Form(
        name, function, column.orElse(null), columnType.orElse(null), window, n, description);
  }

  /** The serialized form: nullable column and type, as {@link Optional} is not serializable. */
  private record Form(
      String name,
      AggregationFunction function,
      String column,
      ValueType columnType,
      Duration window,
      int n,
      String description)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return new Aggregation(
          name,
          function,
          Optional.ofNullable(column),
          Optional.ofNullable(columnType),
          window,
          n,
          description);
    }
  }
}
