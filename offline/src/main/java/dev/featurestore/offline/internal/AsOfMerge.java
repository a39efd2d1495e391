/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
 * <p>The input is sorted by {@code (sk, keys, ts, tag)} where {@code sk} is a 31-bit hash of the
 * keys in the high bits and a coarse time bucket in the low bits. That gives Spark's sorter a
 * decisive 64-bit prefix (the full comparator is needed only within a bucket), and it keeps every
 * key's rows in time order. Keys whose hashes collide interleave, so the state is kept per key
 * among the keys of the current hash: a tiny map, cleared whenever the hash changes.
 */
final class AsOfMerge implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final int keyCount;
  private final int slotCount;
  private final int[][] slots;
  private final int[] featureOffsets;
  private final long[] ttlMicros;

  /**
   * @param keyCount number of key columns
   * @param slotCount number of feature slot columns
   * @param slots for each view, the slot of each of its features
   * @param ttlMicros each view's TTL in microseconds, 0 for none
   */
  AsOfMerge(int keyCount, int slotCount, int[][] slots, long[] ttlMicros) {
    this.keyCount = keyCount;
    this.slotCount = slotCount;
    this.slots = slots.clone();
    this.ttlMicros = ttlMicros.clone();
    this.featureOffsets = new int[slots.length + 1];
    for (int v = 0; v < slots.length; v++) {
      featureOffsets[v + 1] = featureOffsets[v] + slots[v].length;
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
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

  /** The best source row of one view for the current key. */
  private record Candidate(long ts, Long created, Object[] values) {}

  private final class Merger implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Map<Key, Candidate[]> states = new HashMap<>();
    private long currentHash = -1;
    private Object[] lastKey;
    private Candidate[] best;
    private final int tsIndex = keyCount;
    private final int tagIndex = keyCount + 1;
    private final int createdIndex = keyCount + 2;
    private final int firstSlot = keyCount + 3;
    private final int entityIndex = firstSlot + slotCount;
    private final int sortKeyIndex = entityIndex + 1;
    private Row next;

    Merger(Iterator<Row> input) {
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      while (next == null && input.hasNext()) {
        next = advance(input.next());
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    /** Consumes one input row; returns the output row for an entity row, else null. */
    private Row advance(Row row) {
      Object[] key = new Object[keyCount];
      boolean nullKey = false;
      for (int i = 0; i < keyCount; i++) {
        key[i] = row.get(i);
        nullKey |= key[i] == null;
      }
      int tag = row.getInt(tagIndex);
      boolean entity = tag == ttlMicros.length;
      if (nullKey || row.isNullAt(tsIndex)) {
        // Source rows never get here (null keys and timestamps are filtered out before).
        return entity ? emit(row.getStruct(entityIndex), null) : null;
      }
      select(row.getLong(sortKeyIndex) >>> 32, key);
      if (!entity) {
        offer(tag, row);
        return null;
      }
      return emit(row.getStruct(entityIndex), row.getLong(tsIndex));
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
      lastKey = key;
      best = states.computeIfAbsent(new Key(key), k -> new Candidate[ttlMicros.length]);
    }

    private void offer(int view, Row row) {
      long ts = row.getLong(tsIndex);
      Long created = row.isNullAt(createdIndex) ? null : row.getLong(createdIndex);
      int[] viewSlots = slots[view];
      Object[] values = new Object[viewSlots.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(firstSlot + viewSlots[i]);
      }
      Candidate current = best[view];
      // Rows arrive in timestamp order, so a later timestamp always wins; at equal timestamps the
      // later created timestamp wins, then the greater feature values (TieBreak).
      if (current == null
          || ts > current.ts()
          || (ts == current.ts()
              && TieBreak.compare(created, values, current.created(), current.values()) > 0)) {
        best[view] = new Candidate(ts, created, values);
      }
    }

    private Row emit(Row entity, Long ts) {
      int width = entity.length();
      Object[] out = new Object[width + featureOffsets[featureOffsets.length - 1]];
      for (int i = 0; i < width; i++) {
        out[i] = entity.get(i);
      }
      if (ts != null) {
        for (int view = 0; view < best.length; view++) {
          Candidate candidate = best[view];
          if (candidate != null
              && (ttlMicros[view] == 0 || candidate.ts() >= ts - ttlMicros[view])) {
            System.arraycopy(
                candidate.values(),
                0,
                out,
                width + featureOffsets[view],
                candidate.values().length);
          }
        }
      }
      return RowFactory.create(out);
    }
  }

  @Override
  public String toString() {
    return "AsOfMerge[keys=" + keyCount + ", views=" + ttlMicros.length + "]";
  }
}
