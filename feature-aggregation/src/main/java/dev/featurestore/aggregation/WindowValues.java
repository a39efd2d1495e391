/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

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
    throw new UnsupportedOperationException("TODO(aggregation core)");
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
