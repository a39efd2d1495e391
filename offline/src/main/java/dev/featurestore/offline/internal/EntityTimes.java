/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The distinct timestamps of the entity rows, per key: what {@link SourceReduce} needs to drop, on
 * the map side, the source rows that no entity row can ever pick. Small enough to broadcast by
 * construction ({@link EntityScan} gives up above a limit).
 *
 * <p>A {@link KeyIndex} reads the keys straight from {@link InternalRow}s and gives each key's
 * range of {@code times}, which holds its timestamps sorted; each position is a bucket of {@link
 * SourceReduce}.
 */
public final class EntityTimes implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final DataType[] keyTypes;
  private final KeyIndex index;
  private final int keys;
  private final long[] times;

  private EntityTimes(DataType[] keyTypes, KeyIndex index, int keys, long[] times) {
    this.keyTypes = keyTypes;
    this.index = index;
    this.keys = keys;
    this.times = times;
  }

  /**
   * Builds the index from rows holding the keys and then the timestamp (epoch micros), every key
   * and timestamp set; a pair may repeat.
   */
  static EntityTimes of(DataType[] keyTypes, List<? extends InternalRow> rows) {
    int keyCount = keyTypes.length;
    KeyIndex.Builder builder = KeyIndex.builder(keyTypes);
    int[] keyOf = new int[rows.size()];
    for (int r = 0; r < keyOf.length; r++) {
      keyOf[r] = builder.add(rows.get(r));
    }
    int keys = builder.size();
    int[] start = new int[keys + 1];
    for (int k : keyOf) {
      start[k + 1]++;
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    int[] fill = Arrays.copyOf(start, keys);
    long[] times = new long[keyOf.length];
    for (int r = 0; r < keyOf.length; r++) {
      times[fill[keyOf[r]]++] = rows.get(r).getLong(keyCount);
    }
    // Each key's times sorted, without repeats: the ranges shrink to the distinct times.
    int kept = 0;
    for (int k = 0; k < keys; k++) {
      Arrays.sort(times, start[k], start[k + 1]);
      int from = start[k];
      int end = start[k + 1];
      start[k] = kept;
      for (int t = from; t < end; t++) {
        if (t == from || times[t] != times[kept - 1]) {
          times[kept++] = times[t];
        }
      }
    }
    start[keys] = kept;
    return new EntityTimes(
        keyTypes,
        builder.build(start),
        keys,
        kept == times.length ? times : Arrays.copyOf(times, kept));
  }

  /** The number of (keys, timestamp) pairs held: buckets are numbered {@code 0..pairs()-1}. */
  public int pairs() {
    return times.length;
  }

  /** The number of distinct keys. */
  public int keys() {
    return keys;
  }

  /** The first position in a key's range of times at or after {@code ts}, or -1. */
  private int search(long range, long ts) {
    int end = (int) range;
    int at = (int) (range >>> 32);
    // Keys have few timestamps as a rule: a linear scan beats a binary search up to a few dozen.
    if (end - at > 32) {
      at = Arrays.binarySearch(times, at, end, ts);
      return at >= 0 ? at : (-at - 1 == end ? -1 : -at - 1);
    }
    while (at < end && times[at] < ts) {
      at++;
    }
    return at == end ? -1 : at;
  }

  /**
   * The buckets of the first {@code n} source rows (keys in their first columns, event timestamp at
   * {@code tsOrdinal}): for each, the first pair of its key whose timestamp is at or after the
   * row's, or -1 when the key has no entity row or all its entity rows are earlier. Every key
   * lookup runs first, then every timestamp search, so that the memory accesses of different rows
   * overlap. {@code ranges} is scratch space of at least {@code n}.
   */
  void bucketsOf(InternalRow[] rows, int n, int tsOrdinal, long[] ranges, int[] buckets) {
    for (int i = 0; i < n; i++) {
      ranges[i] = index.range(rows[i]);
    }
    for (int i = 0; i < n; i++) {
      buckets[i] = ranges[i] < 0 ? -1 : search(ranges[i], rows[i].getLong(tsOrdinal));
    }
  }

  /** The entity timestamp of a bucket. */
  long timeOf(int bucket) {
    return times[bucket];
  }

  @Override
  public String toString() {
    return "EntityTimes[keys="
        + keys()
        + ", pairs="
        + pairs()
        + ", types="
        + Arrays.toString(keyTypes)
        + "]";
  }
}
