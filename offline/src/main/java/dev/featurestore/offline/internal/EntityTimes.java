/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;

/**
 * The distinct timestamps of the entity rows, per key: what {@link SourceReduce} needs to drop, on
 * the map side, the source rows that no entity row can ever pick. Small enough to broadcast by
 * construction ({@link #collect} gives up above a limit).
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
   * Collects the distinct (keys, timestamp) pairs of the entity rows whose keys and timestamp are
   * all set, or returns empty when there are more than {@code limit} of them.
   *
   * @param keyColumns the entity key columns, in the order the views' rows hold their keys
   */
  public static Optional<EntityTimes> collect(
      Dataset<Row> entities, List<String> keyColumns, String timestampColumn, long limit) {
    if (limit <= 0) {
      return Optional.empty();
    }
    int keyCount = keyColumns.size();
    List<Column> columns = new ArrayList<>();
    Column present = col(AsOfJoin.quote(timestampColumn)).isNotNull();
    for (String key : keyColumns) {
      columns.add(col(AsOfJoin.quote(key)));
      present = present.and(col(AsOfJoin.quote(key)).isNotNull());
    }
    columns.add(unix_micros(col(AsOfJoin.quote(timestampColumn))));
    Dataset<Row> pairs =
        entities
            .where(present)
            .select(columns.toArray(Column[]::new))
            .distinct()
            .limit(limit >= Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE - 1 : (int) limit + 1);
    DataType[] keyTypes = new DataType[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyTypes[i] = pairs.schema().fields()[i].dataType();
    }
    InternalRow[] rows = pairs.queryExecution().executedPlan().executeCollect();
    if (rows.length > limit) {
      return Optional.empty();
    }
    return Optional.of(of(keyTypes, rows));
  }

  /** Builds the index from rows holding the keys and then the timestamp (epoch micros). */
  static EntityTimes of(DataType[] keyTypes, InternalRow[] rows) {
    int keyCount = keyTypes.length;
    KeyIndex.Builder builder = KeyIndex.builder(keyTypes);
    int[] keyOf = new int[rows.length];
    for (int r = 0; r < rows.length; r++) {
      keyOf[r] = builder.add(rows[r]);
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
    long[] times = new long[rows.length];
    for (int r = 0; r < rows.length; r++) {
      times[fill[keyOf[r]]++] = rows[r].getLong(keyCount);
    }
    for (int k = 0; k < keys; k++) {
      Arrays.sort(times, start[k], start[k + 1]);
    }
    return new EntityTimes(keyTypes, builder.build(start), keys, times);
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
