/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.snapshot.ViewReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values of an aggregated view's aggregations as of the request time, from the tiles of each
 * entity (one Redis hash per entity: tile index to encoded tile, docs/online-store-layout.md).
 * Windows slide with the request time: no write is needed for a window to move on.
 */
final class AggregatedViews {
  private AggregatedViews() {}

  /**
   * Fills, per entity row, the aggregations' values, the row's status and the newest event of each
   * aggregation's window.
   *
   * <p>A missing hash is NOT_FOUND (nothing is stored for the entity, or its tiles all expired);
   * otherwise the row is PRESENT and a null value is NULL_VALUE for the caller (counts are never
   * null). Only the tiles some window covers as of {@code nowMicros} are decoded: the hash may
   * still hold older tiles (trimmed at the next write, or expiring with the key) and, were a
   * materialization to run ahead of this clock, tiles of later intervals.
   */
  static void windows(
      ViewReader reader,
      List<Map<byte[], byte[]>> hashes,
      long nowMicros,
      List<?>[] values,
      FieldStatus[] statuses,
      long[][] newestEvents,
      OnlineMetrics metrics) {
    TileLayout layout = reader.tiles().orElseThrow();
    long interval = layout.intervalMicros();
    long last = Windows.tileOf(nowMicros, interval);
    long first = Windows.firstTile(nowMicros, layout.longestWindowMicros(), interval);
    long newestServed = Long.MIN_VALUE;
    for (int r = 0; r < hashes.size(); r++) {
      Map<byte[], byte[]> hash = hashes.get(r);
      if (hash.isEmpty()) {
        statuses[r] = FieldStatus.NOT_FOUND;
        continue;
      }
      // The hash's fields come in no order: placed by tile index, then taken in ascending order.
      Tile[] slots = new Tile[(int) (last - first + 1)];
      int present = 0;
      for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
        long tile = TileCodec.tile(field.getKey());
        if (tile >= first && tile <= last) {
          slots[(int) (tile - first)] = TileCodec.decode(layout, field.getValue());
          present++;
        }
      }
      long[] indexes = new long[present];
      List<Tile> tiles = new ArrayList<>(present);
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] != null) {
          indexes[tiles.size()] = first + i;
          tiles.add(slots[i]);
        }
      }
      WindowValues window = WindowValues.asOf(layout, nowMicros, indexes, tiles);
      values[r] = window.values();
      statuses[r] = FieldStatus.PRESENT;
      long[] newest = window.newestEventMicros();
      newestEvents[r] = newest;
      for (long event : newest) {
        newestServed = Math.max(newestServed, event);
      }
    }
    if (newestServed != Long.MIN_VALUE) {
      metrics.served(reader.view().name(), newestServed);
    }
  }
}
