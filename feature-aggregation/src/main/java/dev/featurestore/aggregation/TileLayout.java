/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.io.Serializable;
import java.util.List;

/**
 * What the tiles of one aggregated feature view hold: the source columns its aggregations read, in
 * a fixed order, and which partial aggregates each column needs (sums and moments, min/max, the
 * latest values, a distinct-count sketch). Built from the view's definition; Serializable, so that
 * Spark ships it to the executors.
 */
public final class TileLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The layout of an aggregated view's tiles. */
  public static TileLayout of(FeatureView view) {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The view's tile size in microseconds. */
  public long intervalMicros() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The longest window in microseconds. */
  public long longestWindowMicros() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /**
   * The source columns a tile reads, in the order {@link Tile#add} takes their values (the
   * aggregations' distinct columns in declaration order; a row count reads none).
   */
  public List<String> columns() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The types of {@link #columns()}, in the same order. */
  public List<ValueType> columnTypes() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The view's aggregations, in declaration order: the order of {@link WindowValues#values()}. */
  public List<Aggregation> aggregations() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }
}
