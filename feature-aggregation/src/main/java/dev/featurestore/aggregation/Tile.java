/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * The partial aggregates of one entity's events in one interval (a tile), or of the part of an
 * interval seen so far (the offline head). Mutable; not thread-safe.
 *
 * <p>A tile is a function of the multiset of its events only: adding the same events in any order
 * gives equal values, so the materializer, the offline join and a push build identical tiles from
 * the same events. That is why sums are kept exactly ({@link ExactSum}) inside a tile and rounded
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

  /** Set by {@link TileCodec#decode}: its sums are rounded, so nothing can be added to it. */
  boolean readOnly;

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
    if (readOnly) {
      throw new IllegalStateException("A decoded tile is read-only");
    }
    rows++;
    newestEventMicros = Math.max(newestEventMicros, eventMicros);
    for (int i = 0; i < parts.length; i++) {
      Object value = values[i];
      if (value != null) {
        parts[i].add(layout, i, eventMicros, createdMicros, value);
      }
    }
  }

  /**
   * A tile of the events of both tiles, as a push merges its events into a stored tile: its rows,
   * counts, min, max, latest values and sketch are those of one tile of all the events; its sums
   * and M2 are combined from the two tiles' rounded ones (integer sums exactly, M2 with Chan et
   * al.'s pairwise update), so they can differ in the last bits from a tile computed from all the
   * events at once. Read-only, like a decoded tile. Both tiles must have this layout.
   */
  public static Tile merge(Tile a, Tile b) {
    if (!a.layout.columns().equals(b.layout.columns())
        || !a.layout.columnTypes().equals(b.layout.columnTypes())) {
      throw new IllegalArgumentException("Cannot merge tiles of different layouts");
    }
    Tile merged = new Tile(a.layout);
    merged.readOnly = true;
    merged.rows = a.rows + b.rows;
    merged.newestEventMicros = Math.max(a.newestEventMicros, b.newestEventMicros);
    for (int i = 0; i < merged.parts.length; i++) {
      merged.parts[i].mergeOf(a.layout, i, a.parts[i], b.parts[i]);
    }
    return merged;
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
    private final boolean integers;
    long count;

    /** Exact sum of integer values (moments only), wrapping on overflow as Java's long does. */
    private long longSum;

    /** Exact sum of the finite values (moments only). */
    private final ExactSum sum = new ExactSum();

    /** Exact sum of their squares (moments only). */
    private final ExactSum squares = new ExactSum();

    /**
     * The IEEE sum of the non-finite values (NaN, infinities), 0 when there is none: the same in
     * any order (NaN absorbs, opposite infinities give NaN), so it stays a function of the values.
     */
    private double nonFinite;

    /** Whether {@link #roundedSum} and {@link #roundedM2} hold the current values. */
    private boolean rounded;

    private double roundedSum;
    private double roundedM2;

    Object min;
    Object max;

    /** The latest values, newest first, at most {@link TileLayout#latest} of them. */
    final List<Latest> latest = new ArrayList<>(1);

    HllSketch sketch;

    Part(ValueType type) {
      this.type = type;
      this.integers = type == ValueType.INT32 || type == ValueType.INT64;
    }

    void add(TileLayout layout, int column, long eventMicros, long createdMicros, Object value) {
      count++;
      if (layout.needsMoments(column)) {
        addMoments(value);
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

    /** Sets this (empty) part to the partial aggregates of both parts' values. */
    void mergeOf(TileLayout layout, int column, Part a, Part b) {
      count = a.count + b.count;
      if (layout.needsMoments(column)) {
        if (b.count == 0) {
          decoded(a.sumLong(), a.sumDouble(), a.m2());
        } else if (a.count == 0) {
          decoded(b.sumLong(), b.sumDouble(), b.m2());
        } else {
          double sumA = integers ? (double) a.sumLong() : a.sumDouble();
          double sumB = integers ? (double) b.sumLong() : b.sumDouble();
          double delta = sumB / b.count - sumA / a.count;
          double m2 = a.m2() + b.m2() + delta * delta * ((double) a.count * b.count / count);
          decoded(a.sumLong() + b.sumLong(), sumA + sumB, m2);
        }
      }
      if (layout.needsMinMax(column)) {
        min = pick(a.min, b.min, -1);
        max = pick(a.max, b.max, 1);
      }
      int keep = layout.latest(column);
      if (keep > 0) {
        latest.addAll(a.latest);
        for (Latest value : b.latest) {
          Values.offer(latest, value, keep, type);
        }
      }
      if (layout.needsSketch(column)) {
        if (a.sketch == null || b.sketch == null) {
          // One side has no value: the other's sketch itself, shared (the merged tile is
          // read-only; a union or a copy can change its bytes, not its estimate).
          sketch = a.sketch == null ? b.sketch : a.sketch;
        } else {
          Union union = new Union(SKETCH_LG_K);
          union.update(a.sketch);
          union.update(b.sketch);
          sketch = union.getResult(a.sketch.getTgtHllType());
        }
      }
    }

    /** The smaller ({@code sign} -1) or greater (1) of two values, either null for none. */
    private Object pick(Object x, Object y, int sign) {
      if (x == null || y == null) {
        return x == null ? y : x;
      }
      return Integer.signum(Values.compare(type, y, x)) == sign ? y : x;
    }

    private void addMoments(Object value) {
      rounded = false;
      if (integers) {
        long x = ((Number) value).longValue();
        longSum += x;
        sum.add(x);
        squares.addSquare(x);
        return;
      }
      double x = ((Number) value).doubleValue();
      if (!Double.isFinite(x)) {
        nonFinite += x;
        return;
      }
      sum.add(x);
      squares.addSquare(x);
    }

    /** Sets the values of a decoded part, which cannot be added to. */
    void decoded(long longSum, double sum, double m2) {
      this.longSum = longSum;
      this.roundedSum = integers ? (double) longSum : sum;
      this.roundedM2 = m2;
      this.rounded = true;
    }

    /**
     * The sum rounded once to a double: NaN or an infinity when a value was one (as an IEEE sum
     * gives); computed once per change, as a tile is folded into many windows.
     */
    double sumDouble() {
      round();
      return roundedSum;
    }

    /** The exact sum of an integer column. */
    long sumLong() {
      return longSum;
    }

    /**
     * The sum of squared differences from the tile's mean, rounded once; NaN beside non-finite
     * values.
     */
    double m2() {
      round();
      return roundedM2;
    }

    private void round() {
      if (rounded) {
        return;
      }
      if (nonFinite != 0.0) {
        roundedSum = nonFinite;
        roundedM2 = Double.NaN;
      } else {
        roundedSum = integers ? (double) longSum : sum.toDouble();
        roundedM2 = ExactSum.m2(sum, squares, count);
      }
      rounded = true;
    }
  }
}
