/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.ValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;

/**
 * The partial aggregates of one entity's events in one interval (a tile), or of the part of an
 * interval seen so far (the offline head). Mutable; not thread-safe.
 *
 * <p>A tile is a function of the multiset of its events only: adding the same events in any order
 * gives equal values, so the materializer, the offline join and a push build identical tiles from
 * the same events. That is why sums are kept exactly ({@link BigDecimal}) inside a tile and rounded
 * once, when the tile is folded or encoded: a double sum would depend on the order of the events,
 * which differs between a Spark sort and the order rows were written in. Values are the canonical
 * Java types of the column types: INT32 {@link Integer}, INT64 {@link Long}, FLOAT32 {@link Float},
 * FLOAT64 {@link Double}, STRING {@link String}, BOOL {@link Boolean}, TIMESTAMP {@link Long}
 * microseconds since the epoch; null for a null value.
 */
public final class Tile {
  /** The created timestamp of an event whose source has none. */
  public static final long NO_CREATED = Long.MIN_VALUE;

  /** The HLL sketches' log2 of K: 4096 buckets, about 1.6% relative standard error. */
  public static final int SKETCH_LG_K = 12;

  final TileLayout layout;
  long rows;
  long newestEventMicros = Long.MIN_VALUE;
  final Part[] parts;

  /** An empty tile of this layout. */
  public Tile(TileLayout layout) {
    this.layout = layout;
    parts = new Part[layout.columns().size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new Part(layout.columnTypes().get(i));
    }
  }

  /**
   * Adds one event.
   *
   * @param eventMicros its event timestamp
   * @param createdMicros its created timestamp, {@link #NO_CREATED} when the source has none
   * @param values its values of {@link TileLayout#columns()}, in that order (nulls allowed)
   */
  public void add(long eventMicros, long createdMicros, Object[] values) {
    rows++;
    newestEventMicros = Math.max(newestEventMicros, eventMicros);
    for (int i = 0; i < parts.length; i++) {
      Object value = values[i];
      if (value != null) {
        parts[i].add(layout, i, eventMicros, createdMicros, value);
      }
    }
  }

  /** Whether the tile holds no event. */
  public boolean isEmpty() {
    return rows == 0;
  }

  /** The number of events (rows) in the tile. */
  public long rows() {
    return rows;
  }

  /** The newest event timestamp in the tile; {@link Long#MIN_VALUE} when empty. */
  public long newestEventMicros() {
    return newestEventMicros;
  }

  /** One value with the times that order it among the latest values. */
  record Latest(long eventMicros, long createdMicros, Object value) {}

  /** The partial aggregates of one column's non-null values. */
  static final class Part {
    final ValueType type;
    long count;

    /** Exact sum of the values (moments only). */
    BigDecimal sum = BigDecimal.ZERO;

    /** Exact sum of their squares (moments only). */
    BigDecimal squares = BigDecimal.ZERO;

    /** A decoded tile's M2, rounded as it was encoded; null for a built tile. */
    Double decodedM2;

    Object min;
    Object max;

    /** The latest values, newest first, at most {@link TileLayout#latest} of them. */
    final List<Latest> latest = new ArrayList<>(1);

    HllSketch sketch;

    Part(ValueType type) {
      this.type = type;
    }

    void add(TileLayout layout, int column, long eventMicros, long createdMicros, Object value) {
      count++;
      if (layout.needsMoments(column)) {
        BigDecimal exact = exact(value);
        sum = sum.add(exact);
        squares = squares.add(exact.multiply(exact));
      }
      if (layout.needsMinMax(column)) {
        if (min == null || Values.compare(type, value, min) < 0) {
          min = value;
        }
        if (max == null || Values.compare(type, value, max) > 0) {
          max = value;
        }
      }
      int keep = layout.latest(column);
      if (keep > 0) {
        Values.offer(latest, new Latest(eventMicros, createdMicros, value), keep, type);
      }
      if (layout.needsSketch(column)) {
        if (sketch == null) {
          sketch = new HllSketch(SKETCH_LG_K);
        }
        Values.update(sketch, type, value);
      }
    }

    private BigDecimal exact(Object value) {
      return switch (type) {
        case INT32, INT64 -> BigDecimal.valueOf(((Number) value).longValue());
        default -> new BigDecimal(((Number) value).doubleValue());
      };
    }

    /** The sum rounded once to a double (float columns) or exact (integer columns). */
    double sumDouble() {
      return sum.doubleValue();
    }

    long sumLong() {
      return sum.longValue();
    }

    /** The sum of squared differences from the tile's mean, rounded once. */
    double m2() {
      if (decodedM2 != null) {
        return decodedM2;
      }
      if (count == 0) {
        return 0.0;
      }
      BigDecimal m2 =
          squares.subtract(
              sum.multiply(sum).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128));
      return Math.max(0.0, m2.doubleValue());
    }
  }
}
