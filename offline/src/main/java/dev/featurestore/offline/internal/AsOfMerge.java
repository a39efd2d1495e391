/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.util.Arrays;
import java.util.Iterator;
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
 * the same type, which keeps the shuffled rows narrow), and the entity row as a struct.
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

  /** The best source row of one view for the current key. */
  private record Candidate(long ts, Long created, Object[] values) {}

  private final class Merger implements Iterator<Row> {
    private final Iterator<Row> input;
    private final Candidate[] best;
    private final int tsIndex = keyCount;
    private final int tagIndex = keyCount + 1;
    private final int createdIndex = keyCount + 2;
    private final int firstSlot = keyCount + 3;
    private final int entityIndex = firstSlot + slotCount;
    private Object[] currentKey;
    private Row next;

    Merger(Iterator<Row> input) {
      this.input = input;
      this.best = new Candidate[ttlMicros.length];
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
      if (!Arrays.deepEquals(key, currentKey)) {
        currentKey = key;
        Arrays.fill(best, null);
      }
      int tag = row.getInt(tagIndex);
      if (tag < best.length) {
        offer(tag, row);
        return null;
      }
      Long ts = row.isNullAt(tsIndex) ? null : row.getLong(tsIndex);
      return emit(row.getStruct(entityIndex), nullKey || ts == null ? null : ts);
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
