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
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The distinct timestamps of the entity rows, per key: what {@link SourceReduce} needs to drop, on
 * the map side, the source rows that no entity row can ever pick. Small enough to broadcast by
 * construction ({@link #collect} gives up above a limit).
 *
 * <p>Keys are held in Spark's internal form ({@link UTF8String}, boxed numbers, bytes compared by
 * content; a {@link List} of those for a composite key), so that the executors look them up
 * straight from {@link InternalRow}s.
 */
public final class EntityTimes implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final DataType[] keyTypes;
  private final HashMap<Object, long[]> times;
  private final long pairs;

  private EntityTimes(DataType[] keyTypes, HashMap<Object, long[]> times, long pairs) {
    this.keyTypes = keyTypes;
    this.times = times;
    this.pairs = pairs;
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
            .limit((int) Math.min(limit + 1, Integer.MAX_VALUE - 1));
    DataType[] keyTypes = new DataType[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyTypes[i] = pairs.schema().fields()[i].dataType();
    }
    InternalRow[] rows = (InternalRow[]) pairs.queryExecution().executedPlan().executeCollect();
    if (rows.length > limit) {
      return Optional.empty();
    }
    HashMap<Object, long[]> grouped = new HashMap<>();
    HashMap<Object, Integer> sizes = new HashMap<>();
    for (InternalRow row : rows) {
      sizes.merge(keyOf(row, keyTypes, true), 1, Integer::sum);
    }
    for (InternalRow row : rows) {
      Object key = keyOf(row, keyTypes, true);
      long[] values = grouped.computeIfAbsent(key, k -> new long[sizes.get(k)]);
      int filled = sizes.merge(key, -1, Integer::sum);
      values[filled] = row.getLong(keyCount);
    }
    for (long[] values : grouped.values()) {
      Arrays.sort(values);
    }
    return Optional.of(new EntityTimes(keyTypes, grouped, rows.length));
  }

  /** The number of distinct (keys, timestamp) pairs held. */
  public long pairs() {
    return pairs;
  }

  /**
   * The sorted distinct entity timestamps (epoch micros) of the key in the first columns of {@code
   * row}, or null when no entity row has that key. Equal keys give the same array instance.
   */
  long[] timesOf(InternalRow row) {
    return times.get(keyOf(row, keyTypes, false));
  }

  /** The lookup form of the key held by the first {@code keyTypes.length} columns of a row. */
  private static Object keyOf(InternalRow row, DataType[] keyTypes, boolean keep) {
    if (keyTypes.length == 1) {
      return internal(row.get(0, keyTypes[0]), keep);
    }
    Object[] values = new Object[keyTypes.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = internal(row.get(i, keyTypes[i]), keep);
    }
    return Arrays.asList(values);
  }

  /** A key value with value equality; {@code keep} copies what points into the row's buffer. */
  private static Object internal(Object value, boolean keep) {
    if (value instanceof byte[] bytes) {
      return new Bytes(bytes);
    }
    if (keep && value instanceof UTF8String string) {
      return string.clone();
    }
    return value;
  }

  /** The number of keys held, for tests and logs. */
  public int keys() {
    return times.size();
  }

  @Override
  public String toString() {
    return "EntityTimes[keys=" + times.size() + ", pairs=" + pairs + "]";
  }

  /** A bytes key compared by content. */
  private record Bytes(byte[] value) implements Serializable {
    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return Arrays.toString(value);
    }
  }
}
