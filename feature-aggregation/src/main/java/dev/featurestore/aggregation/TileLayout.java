/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * What the tiles of one aggregated feature view hold: the source columns its aggregations read, in
 * a fixed order, and which partial aggregates each column needs (sums and moments, min/max, the
 * latest values, a distinct-count sketch). Built from the view's definition; Serializable, so that
 * Spark ships it to the executors.
 */
public final class TileLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long intervalMicros;
  private final long longestWindowMicros;
  private final List<String> columns;
  private final List<ValueType> columnTypes;
  private final List<Aggregation> aggregations;
  private final int[] aggregationColumns;
  private final long[] windowMicros;
  private final boolean[] moments;
  private final boolean[] minMax;
  private final int[] latest;
  private final boolean[] sketch;

  private TileLayout(Aggregations definition) {
    intervalMicros = Windows.micros(definition.interval());
    longestWindowMicros = Windows.micros(definition.longestWindow());
    aggregations = definition.aggregations();
    List<String> names = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    for (Aggregation aggregation : aggregations) {
      if (aggregation.column().isPresent() && !names.contains(aggregation.column().get())) {
        names.add(aggregation.column().get());
        types.add(aggregation.columnType().orElseThrow());
      }
    }
    columns = List.copyOf(names);
    columnTypes = List.copyOf(types);
    aggregationColumns = new int[aggregations.size()];
    windowMicros = new long[aggregations.size()];
    moments = new boolean[columns.size()];
    minMax = new boolean[columns.size()];
    latest = new int[columns.size()];
    sketch = new boolean[columns.size()];
    for (int i = 0; i < aggregations.size(); i++) {
      Aggregation aggregation = aggregations.get(i);
      int column = aggregation.column().map(columns::indexOf).orElse(-1);
      aggregationColumns[i] = column;
      windowMicros[i] = Windows.micros(aggregation.window());
      switch (aggregation.function()) {
        case SUM, AVG, STDDEV -> moments[column] = true;
        case MIN, MAX -> minMax[column] = true;
        case LAST -> latest[column] = Math.max(latest[column], 1);
        case LAST_N -> latest[column] = Math.max(latest[column], aggregation.n());
        case APPROX_COUNT_DISTINCT -> sketch[column] = true;
        case COUNT -> {}
      }
    }
  }

  /** The layout of an aggregated view's tiles. */
  public static TileLayout of(FeatureView view) {
    return new TileLayout(
        view.aggregations()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Cannot lay out tiles of " + view.name() + ": it has no aggregations")));
  }

  /** The view's tile size in microseconds. */
  public long intervalMicros() {
    return intervalMicros;
  }

  /** The longest window in microseconds. */
  public long longestWindowMicros() {
    return longestWindowMicros;
  }

  /**
   * A short fingerprint of what the tiles hold: the interval, the longest window and, per column
   * (by name), its type and its partial aggregates. Tiles written under another fingerprint may
   * lack what the aggregations need now (a new column, min/max of a column that had only sums, more
   * latest values, a longer window), so an incremental run rebuilds the window when it changed.
   */
  public String fingerprint() {
    TreeMap<String, String> parts = new TreeMap<>();
    for (int i = 0; i < columns.size(); i++) {
      parts.put(
          columns.get(i),
          columnTypes.get(i).typeName()
              + (moments[i] ? ",moments" : "")
              + (minMax[i] ? ",minmax" : "")
              + ",latest"
              + latest[i]
              + (sketch[i] ? ",sketch" : ""));
    }
    String text = "v1;" + intervalMicros + ";" + longestWindowMicros + ";" + parts;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * How long after its newest tile's end an entity's tiles are kept ({@code longest window + H}):
   * no window as of any time in that tile reaches further back.
   */
  public long lifetimeMicros() {
    return longestWindowMicros + intervalMicros;
  }

  /**
   * The oldest tile a write through {@code endMicros} keeps: tiles before it are older than the
   * longest window + H and are trimmed from every key written (docs/online-store-layout.md,
   * "Tiles"), by a materialization through its end and by a push through the time it is taken.
   */
  public long trimBelowTile(long endMicros) {
    return Windows.tileOf(endMicros, intervalMicros) - longestWindowMicros / intervalMicros - 1;
  }

  /**
   * The source columns a tile reads, in the order {@link Tile#add} takes their values (the
   * aggregations' distinct columns in declaration order; a row count reads none).
   */
  public List<String> columns() {
    return columns;
  }

  /** The types of {@link #columns()}, in the same order. */
  public List<ValueType> columnTypes() {
    return columnTypes;
  }

  /** The view's aggregations, in declaration order: the order of {@link WindowValues#values()}. */
  public List<Aggregation> aggregations() {
    return aggregations;
  }

  /** The index in {@link #columns()} an aggregation reads; -1 for a row count. */
  int column(int aggregation) {
    return aggregationColumns[aggregation];
  }

  long windowMicros(int aggregation) {
    return windowMicros[aggregation];
  }

  AggregationFunction function(int aggregation) {
    return aggregations.get(aggregation).function();
  }

  boolean needsMoments(int column) {
    return moments[column];
  }

  boolean needsMinMax(int column) {
    return minMax[column];
  }

  /** How many latest values a column's tiles keep (0: none). */
  int latest(int column) {
    return latest[column];
  }

  boolean needsSketch(int column) {
    return sketch[column];
  }
}
