/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.Serial;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The streaming half of the as-of join. Its input is one partition of the union of entity rows and
 * source rows, sorted by (keys, event timestamp, kind) with source rows before entity rows at equal
 * timestamps. It walks the rows once, keeping for every view only the best source row seen so far
 * for the current key, and emits each entity row with the features of those best rows (or nulls
 * when the best row is older than the view's TTL). Memory is one row per view whatever the number
 * of rows per key.
 *
 * <p>Row layout (built by {@link AsOfJoin}): keys, {@code ts} (epoch micros), {@code tag} (the view
 * index for a source row, the number of views for an entity row, so that at equal timestamps source
 * rows sort first), {@code created} (epoch micros or null), the feature slots (views share slots of
 * the same type, which keeps the shuffled rows narrow), the entity row as a struct, and the sort
 * prefix {@code sk}.
 *
 * <p>The input is sorted by {@code sk} alone, the key hash in its bits from {@code hashShift} up,
 * then the microseconds since the base and the source/entity bit ({@link AsOfJoin}); or, for a time
 * span too wide for that, by {@code (sk, keys, ts, tag)} with a 31-bit hash and ~1 s buckets.
 * Either way every key's rows are in time order, except source rows older than the base, which
 * share time 0: {@link #offer} keeps the best row by the full order, whatever the arrival order.
 * Keys whose hashes collide interleave, so the state is kept per key among the keys of the current
 * hash: a tiny map, cleared whenever the hash changes.
 *
 * <p>It works on Spark's internal rows: a best row is kept as a copy of its input row, and the
 * output rows are built from the entity struct and those copies, with no conversion to {@code
 * Row}s.
 */
final class AsOfMerge implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  @Serial private static final long serialVersionUID = 1L;

  private final DataType[] keyTypes;
  private final DataType[] slotTypes;
  private final DataType[] entityTypes;
  private final int[][] slots;
  private final int[] featureOffsets;
  private final long[] ttlMicros;
  private final int hashShift;

  /**
   * @param keyTypes the type of each key column
   * @param slotTypes the type of each feature slot column
   * @param entityTypes the type of each field of the entity struct
   * @param slots for each view, the slot of each of its features
   * @param ttlMicros each view's TTL in microseconds, 0 for none
   * @param hashShift where the key hash starts in the sort prefix {@code sk}
   */
  AsOfMerge(
      DataType[] keyTypes,
      DataType[] slotTypes,
      DataType[] entityTypes,
      int[][] slots,
      long[] ttlMicros,
      int hashShift) {
    this.hashShift = hashShift;
    this.keyTypes = keyTypes.clone();
    this.slotTypes = slotTypes.clone();
    this.entityTypes = entityTypes.clone();
    this.slots = slots.clone();
    this.ttlMicros = ttlMicros.clone();
    this.featureOffsets = new int[slots.length + 1];
    for (int v = 0; v < slots.length; v++) {
      featureOffsets[v + 1] = featureOffsets[v] + slots[v].length;
    }
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

  private final class Merger implements Iterator<InternalRow> {
    private final Iterator<InternalRow> input;
    private final Map<Key, InternalRow[]> states = new HashMap<>();
    private final RowOrder[] orders = new RowOrder[slots.length];
    private long currentHash = -1;
    private Object[] lastKey;
    private InternalRow[] best;
    private final int keyCount = keyTypes.length;
    private final int tsIndex = keyCount;
    private final int tagIndex = keyCount + 1;
    private final int createdIndex = keyCount + 2;
    private final int firstSlot = keyCount + 3;
    private final int entityIndex = firstSlot + slotTypes.length;
    private final int sortKeyIndex = entityIndex + 1;
    private InternalRow next;

    Merger(Iterator<InternalRow> input) {
      this.input = input;
      for (int v = 0; v < slots.length; v++) {
        int[] ordinals = new int[slots[v].length];
        DataType[] types = new DataType[ordinals.length];
        for (int f = 0; f < ordinals.length; f++) {
          ordinals[f] = firstSlot + slots[v][f];
          types[f] = slotTypes[slots[v][f]];
        }
        orders[v] = new RowOrder(tsIndex, createdIndex, ordinals, types);
      }
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

    /**
     * Consumes one input row; returns the output row for an entity row, else null. The output row
     * may point into the input row's buffer: it is consumed before the next input row is read.
     */
    private InternalRow advance(InternalRow row) {
      Object[] key = new Object[keyCount];
      boolean nullKey = false;
      for (int i = 0; i < keyCount; i++) {
        nullKey |= row.isNullAt(i);
        key[i] = nullKey ? null : row.get(i, keyTypes[i]);
      }
      int tag = row.getInt(tagIndex);
      boolean entity = tag == ttlMicros.length;
      if (nullKey || row.isNullAt(tsIndex)) {
        // Source rows never get here (null keys and timestamps are filtered out before).
        return entity ? emit(row, false) : null;
      }
      select(row.getLong(sortKeyIndex) >>> hashShift, key);
      if (!entity) {
        offer(tag, row);
        return null;
      }
      return emit(row, true);
    }

    /** Points {@link #best} at the state of this key. */
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
        }
      }
      lastKey = key;
      best = states.computeIfAbsent(new Key(key), k -> new InternalRow[ttlMicros.length]);
    }

    private void offer(int view, InternalRow row) {
      InternalRow current = best[view];
      // The best row by the full order: the later timestamp, then the later created timestamp,
      // then the greater feature values (TieBreak), so the arrival order does not matter.
      if (current == null) {
        best[view] = row.copy();
      } else if (orders[view].compare(row, current) > 0) {
        if (current instanceof UnsafeRow target && row instanceof UnsafeRow source) {
          target.copyFrom(source);
        } else {
          best[view] = row.copy();
        }
      }
    }

    private InternalRow emit(InternalRow row, boolean withFeatures) {
      int width = entityTypes.length;
      InternalRow entity = row.getStruct(entityIndex, width);
      Object[] out = new Object[width + featureOffsets[featureOffsets.length - 1]];
      for (int i = 0; i < width; i++) {
        out[i] = entity.isNullAt(i) ? null : entity.get(i, entityTypes[i]);
      }
      if (withFeatures) {
        long ts = row.getLong(tsIndex);
        for (int view = 0; view < best.length; view++) {
          InternalRow candidate = best[view];
          if (candidate != null
              && (ttlMicros[view] == 0 || candidate.getLong(tsIndex) >= ts - ttlMicros[view])) {
            int[] viewSlots = slots[view];
            for (int f = 0; f < viewSlots.length; f++) {
              int ordinal = firstSlot + viewSlots[f];
              out[width + featureOffsets[view] + f] =
                  candidate.isNullAt(ordinal)
                      ? null
                      : candidate.get(ordinal, slotTypes[viewSlots[f]]);
            }
          }
        }
      }
      return new GenericInternalRow(out);
    }
  }

  @Override
  public String toString() {
    return "AsOfMerge[keys=" + keyTypes.length + ", views=" + ttlMicros.length + "]";
  }
}
