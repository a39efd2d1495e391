/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.ValueType;
import java.io.Serial;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The streaming half of the windowed-aggregation join. Its input is one partition of the union of
 * entity rows and events, sorted by (sort prefix, keys, time, tag) with events before entity rows
 * at equal times ({@link WindowJoin}). Per key and view it keeps the key's tiles ({@code
 * TreeMap<tile index, Tile>}): an event is added to the tile of its interval, and tiles that no
 * later entity row's window can reach (more than the longest window before the event's tile) are
 * dropped. When an entity row at {@code t} arrives, the map holds exactly the key's events up to
 * {@code t}: the complete tiles before {@code floor_H(t)} and the head tile of the events in {@code
 * [floor_H(t), t]}. The values are {@link WindowValues#asOf} of that map, the fold the online
 * service runs on the tiles it reads from Redis, so both give the same bits.
 *
 * <p>Memory per key and view is at most {@code longest window / H + 1} tiles, whatever the number
 * of events (a hot key with millions of events streams through); entity rows are emitted as they
 * come. Keys whose 31-bit hashes collide interleave, so state is kept per key among the keys of the
 * current hash, as in {@link AsOfMerge}. An entity row with a null key or timestamp matches
 * nothing: counts 0, other values null.
 */
final class WindowMerge implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  @Serial private static final long serialVersionUID = 1L;

  private final DataType[] keyTypes;
  private final DataType[] entityTypes;
  private final TileLayout[] layouts;
  private final int[][] requested;

  /**
   * @param keyTypes the type of each key column
   * @param entityTypes the type of each field of the entity struct
   * @param layouts each view's tile layout
   * @param requested for each view, the requested aggregations (indexes into its layout's
   *     aggregations), in output order
   */
  WindowMerge(
      DataType[] keyTypes, DataType[] entityTypes, TileLayout[] layouts, int[][] requested) {
    this.keyTypes = keyTypes.clone();
    this.entityTypes = entityTypes.clone();
    this.layouts = layouts.clone();
    this.requested = requested.clone();
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> input) {
    return new Merger(input);
  }

  /** Key values compared deeply (byte[] keys). */
  private record Key(Object[] values) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && Arrays.deepEquals(values, key.values);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.deepToString(values);
    }
  }

  /** One key's tiles of one view, and the values last computed from them. */
  private static final class Tiles {
    final TreeMap<Long, Tile> tiles = new TreeMap<>();
    long computedAt;
    WindowValues computed;
  }

  private final class Merger implements Iterator<InternalRow> {
    private final Iterator<InternalRow> input;
    private final Map<Key, Tiles[]> states = new HashMap<>();
    private final int keyCount = keyTypes.length;
    private final int tsIndex = keyCount;
    private final int tagIndex = keyCount + 1;
    private final int createdIndex = keyCount + 2;
    private final int[] columnOffsets = new int[layouts.length + 1];
    private final ValueType[][] columnTypes = new ValueType[layouts.length][];
    private final long[] keptTiles = new long[layouts.length];
    private final WindowValues[] empty = new WindowValues[layouts.length];
    private final int outputWidth;
    private final int entityIndex;
    private final int sortKeyIndex;
    private long currentHash = -1;
    private Object[] lastKey;
    private Tiles[] current;
    private InternalRow next;

    Merger(Iterator<InternalRow> input) {
      this.input = input;
      int width = entityTypes.length;
      columnOffsets[0] = keyCount + 3;
      for (int v = 0; v < layouts.length; v++) {
        List<ValueType> types = layouts[v].columnTypes();
        columnTypes[v] = types.toArray(ValueType[]::new);
        columnOffsets[v + 1] = columnOffsets[v] + types.size();
        keptTiles[v] = layouts[v].longestWindowMicros() / layouts[v].intervalMicros();
        empty[v] = WindowValues.asOf(layouts[v], 0L, new TreeMap<>());
        width += requested[v].length;
      }
      outputWidth = width;
      entityIndex = columnOffsets[layouts.length];
      sortKeyIndex = entityIndex + 1;
    }

    @Override
    public boolean hasNext() {
      while (next == null && input.hasNext()) {
        next = advance(input.next());
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow row = next;
      next = null;
      return row;
    }

    /** Consumes one input row; returns the output row for an entity row, else null. */
    private InternalRow advance(InternalRow row) {
      int tag = row.getInt(tagIndex);
      boolean entity = tag == layouts.length;
      Object[] key = new Object[keyCount];
      boolean nullKey = false;
      for (int i = 0; i < keyCount; i++) {
        nullKey |= row.isNullAt(i);
        key[i] = nullKey ? null : row.get(i, keyTypes[i]);
      }
      if (nullKey || row.isNullAt(tsIndex)) {
        // Events never get here (null keys and timestamps are filtered out before).
        return entity ? emit(row, null, 0) : null;
      }
      select(row.getLong(sortKeyIndex) >>> 32, key);
      long ts = row.getLong(tsIndex);
      if (entity) {
        return emit(row, current, ts);
      }
      add(tag, row, ts);
      return null;
    }

    /** Points {@link #current} at the state of this key. */
    private void select(long hash, Object[] key) {
      if (hash != currentHash) {
        currentHash = hash;
        states.clear();
        lastKey = null;
      }
      if (lastKey != null && Arrays.deepEquals(key, lastKey)) {
        return;
      }
      for (int i = 0; i < key.length; i++) {
        if (key[i] instanceof UTF8String string) {
          key[i] = string.clone();
        } else if (key[i] instanceof byte[] bytes) {
          key[i] = bytes.clone();
        }
      }
      lastKey = key;
      current = states.computeIfAbsent(new Key(key), k -> new Tiles[layouts.length]);
    }

    private void add(int view, InternalRow row, long ts) {
      Tiles state = current[view];
      if (state == null) {
        state = new Tiles();
        current[view] = state;
      }
      TileLayout layout = layouts[view];
      long index = Windows.tileOf(ts, layout.intervalMicros());
      // Later entity rows are at ts or after: their windows start at tile index - kept or later.
      long oldest = index - keptTiles[view];
      while (!state.tiles.isEmpty() && state.tiles.firstKey() < oldest) {
        state.tiles.pollFirstEntry();
      }
      Tile tile = state.tiles.computeIfAbsent(index, i -> new Tile(layout));
      ValueType[] types = columnTypes[view];
      Object[] values = new Object[types.length];
      int offset = columnOffsets[view];
      for (int c = 0; c < types.length; c++) {
        values[c] = CanonicalValues.read(row, offset + c, types[c]);
      }
      long created = row.isNullAt(createdIndex) ? Tile.NO_CREATED : row.getLong(createdIndex);
      tile.add(ts, created, values);
      state.computed = null;
    }

    private InternalRow emit(InternalRow row, Tiles[] states, long ts) {
      int width = entityTypes.length;
      InternalRow entity = row.getStruct(entityIndex, width);
      Object[] out = new Object[outputWidth];
      for (int i = 0; i < width; i++) {
        out[i] = entity.isNullAt(i) ? null : entity.get(i, entityTypes[i]);
      }
      int at = width;
      for (int v = 0; v < layouts.length; v++) {
        WindowValues values = valuesOf(v, states == null ? null : states[v], ts);
        for (int a : requested[v]) {
          out[at++] = CanonicalValues.toInternal(values.values().get(a));
        }
      }
      return new GenericInternalRow(out);
    }

    private WindowValues valuesOf(int view, Tiles state, long ts) {
      if (state == null) {
        return empty[view];
      }
      // Entity rows of one key at one time share the computation (no event came in between).
      if (state.computed == null || state.computedAt != ts) {
        state.computed = WindowValues.asOf(layouts[view], ts, state.tiles);
        state.computedAt = ts;
      }
      return state.computed;
    }
  }

  @Override
  public String toString() {
    return "WindowMerge[keys=" + keyTypes.length + ", views=" + layouts.length + "]";
  }
}
