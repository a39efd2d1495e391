/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.datasketches.hll.Union;

/**
 * The values of a view's aggregations as of one time, computed from its tiles: the one computation
 * the offline join and the online lookup share, so they agree to the bit.
 *
 * <p>Values are in {@link TileLayout#aggregations()} order, as the canonical Java types of their
 * output types (see {@link Tile}; {@code array<T>} as an unmodifiable {@link List}); null where a
 * value is null. Counts are never null.
 *
 * @param values the aggregations' values
 * @param newestEventMicros per aggregation, the newest event timestamp its window covers; {@link
 *     Long#MIN_VALUE} for an empty window
 */
public record WindowValues(List<Object> values, long[] newestEventMicros) {
  public WindowValues {
    values = Collections.unmodifiableList(new ArrayList<>(values));
    newestEventMicros = newestEventMicros.clone();
  }

  /**
   * Computes the aggregations as of {@code asOfMicros}: each folds the tiles its window covers in
   * ascending tile order (tiles outside every window are ignored), the tile of {@code asOfMicros}
   * last. The caller guarantees that tile holds no event after {@code asOfMicros}.
   *
   * @param tiles the entity's tiles by tile index ({@link Windows#tileOf}); empty tiles may be
   *     absent
   */
  public static WindowValues asOf(TileLayout layout, long asOfMicros, SortedMap<Long, Tile> tiles) {
    long interval = layout.intervalMicros();
    long lastTile = Windows.tileOf(asOfMicros, interval);
    long firstTile = Windows.firstTile(asOfMicros, layout.longestWindowMicros(), interval);
    SortedMap<Long, Tile> covered = tiles.subMap(firstTile, lastTile + 1);
    long[] indexes = new long[covered.size()];
    List<Tile> ascending = new ArrayList<>(covered.size());
    for (Map.Entry<Long, Tile> tile : covered.entrySet()) {
      indexes[ascending.size()] = tile.getKey();
      ascending.add(tile.getValue());
    }
    return asOf(layout, asOfMicros, indexes, ascending);
  }

  /**
   * {@link #asOf(TileLayout, long, SortedMap)} over tiles in ascending tile order: {@code
   * indexes[i]} is the tile index of {@code tiles.get(i)}. Every window ends at the tile of {@code
   * asOfMicros}, so each folds a suffix of the list (no copy, no map lookups: a lookup folds up to
   * longest window / H tiles for each aggregation).
   */
  public static WindowValues asOf(
      TileLayout layout, long asOfMicros, long[] indexes, List<Tile> tiles) {
    int size = layout.aggregations().size();
    List<Object> values = new ArrayList<>(size);
    long[] newest = new long[size];
    long interval = layout.intervalMicros();
    long lastTile = Windows.tileOf(asOfMicros, interval);
    int end = tiles.size();
    while (end > 0 && indexes[end - 1] > lastTile) {
      end--;
    }
    for (int i = 0; i < size; i++) {
      long firstTile = Windows.firstTile(asOfMicros, layout.windowMicros(i), interval);
      int start = end;
      while (start > 0 && indexes[start - 1] >= firstTile) {
        start--;
      }
      List<Tile> window = tiles.subList(start, end);
      long newestEvent = Long.MIN_VALUE;
      for (Tile tile : window) {
        newestEvent = Math.max(newestEvent, tile.newestEventMicros);
      }
      newest[i] = newestEvent;
      values.add(fold(layout, i, window));
    }
    return new WindowValues(values, newest);
  }

  private static Object fold(TileLayout layout, int aggregation, Collection<Tile> window) {
    int column = layout.column(aggregation);
    AggregationFunction function = layout.function(aggregation);
    if (column < 0) {
      long rows = 0;
      for (Tile tile : window) {
        rows += tile.rows;
      }
      return rows;
    }
    ValueType type = layout.columnTypes().get(column);
    boolean integers = type == ValueType.INT32 || type == ValueType.INT64;
    switch (function) {
      case COUNT -> {
        long count = 0;
        for (Tile tile : window) {
          count += tile.parts[column].count;
        }
        return count;
      }
      case SUM -> {
        long count = 0;
        long longSum = 0;
        double doubleSum = 0.0;
        for (Tile tile : window) {
          Tile.Part part = tile.parts[column];
          if (part.count > 0) {
            count += part.count;
            if (integers) {
              longSum += part.sumLong();
            } else {
              doubleSum += part.sumDouble();
            }
          }
        }
        return count == 0 ? null : integers ? (Object) longSum : (Object) doubleSum;
      }
      case AVG -> {
        long count = 0;
        long longSum = 0;
        double doubleSum = 0.0;
        for (Tile tile : window) {
          Tile.Part part = tile.parts[column];
          if (part.count > 0) {
            count += part.count;
            if (integers) {
              longSum += part.sumLong();
            } else {
              doubleSum += part.sumDouble();
            }
          }
        }
        return count == 0 ? null : (integers ? (double) longSum : doubleSum) / count;
      }
      case STDDEV -> {
        // Chan et al.'s pairwise update of (n, mean, M2), tile by tile in ascending order.
        long count = 0;
        double mean = 0.0;
        double m2 = 0.0;
        for (Tile tile : window) {
          Tile.Part part = tile.parts[column];
          if (part.count > 0) {
            double partMean = (integers ? (double) part.sumLong() : part.sumDouble()) / part.count;
            long total = count + part.count;
            double delta = partMean - mean;
            mean += delta * part.count / total;
            m2 += part.m2() + delta * delta * ((double) count * part.count / total);
            count = total;
          }
        }
        return count < 2 ? null : Math.sqrt(m2 / (count - 1));
      }
      case MIN, MAX -> {
        Object best = null;
        for (Tile tile : window) {
          Object candidate =
              function == AggregationFunction.MIN ? tile.parts[column].min : tile.parts[column].max;
          if (candidate != null
              && (best == null
                  || (function == AggregationFunction.MIN
                      ? Values.compare(type, candidate, best) < 0
                      : Values.compare(type, candidate, best) > 0))) {
            best = candidate;
          }
        }
        return best;
      }
      case LAST, LAST_N -> {
        int keep =
            function == AggregationFunction.LAST ? 1 : layout.aggregations().get(aggregation).n();
        List<Tile.Latest> latest = new ArrayList<>(keep);
        for (Tile tile : window) {
          for (Tile.Latest value : tile.parts[column].latest) {
            Values.offer(latest, value, keep, type);
          }
        }
        if (function == AggregationFunction.LAST) {
          return latest.isEmpty() ? null : latest.get(0).value();
        }
        if (latest.isEmpty()) {
          return null;
        }
        List<Object> newestFirst = new ArrayList<>(latest.size());
        for (Tile.Latest value : latest) {
          newestFirst.add(value.value());
        }
        return Collections.unmodifiableList(newestFirst);
      }
      case APPROX_COUNT_DISTINCT -> {
        Union union = null;
        for (Tile tile : window) {
          if (tile.parts[column].sketch != null) {
            if (union == null) {
              union = new Union(Tile.SKETCH_LG_K);
            }
            union.update(tile.parts[column].sketch);
          }
        }
        // The composite estimate reads only the merged registers (or coupons), which are the same
        // for the same values in any order; getEstimate may use the HIP accumulator of a sketch
        // updated directly, which depends on the order its values came in.
        return union == null ? 0L : Math.round(union.getCompositeEstimate());
      }
    }
    throw new IllegalStateException("Unknown function " + function);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WindowValues that
        && values.equals(that.values)
        && Arrays.equals(newestEventMicros, that.newestEventMicros);
  }

  @Override
  public int hashCode() {
    return 31 * values.hashCode() + Arrays.hashCode(newestEventMicros);
  }

  @Override
  public String toString() {
    return "WindowValues" + values + Arrays.toString(newestEventMicros);
  }
}
