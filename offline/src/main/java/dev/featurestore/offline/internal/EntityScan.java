/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one eager read of the entity rows before the join, in a single Spark job whatever the number
 * of key groups: the range of their timestamps (pushed down to the source scans as a time filter)
 * and, per group of views on the same key columns, the distinct (keys, timestamp) pairs that {@link
 * SourceReduce} needs, when there are at most {@code limit} of them.
 *
 * <p>Each task keeps the distinct pairs of its rows per group (a hash set, given up above {@code
 * limit}); the driver merges the tasks' pairs as they arrive and gives a group up when their sum
 * passes twice the limit or their distinct count passes the limit. Giving up only costs speed
 * (every source row of the group is then shuffled), never a different result.
 */
public final class EntityScan {
  private EntityScan() {}

  /**
   * What the scan found.
   *
   * @param rows whether any entity row has a timestamp
   * @param minMicros the earliest entity timestamp (epoch micros), 0 when there is none
   * @param maxMicros the latest entity timestamp (epoch micros), 0 when there is none
   * @param times per group, in the order asked, its pairs or empty when there were too many
   */
  public record Result(
      boolean rows, long minMicros, long maxMicros, List<Optional<EntityTimes>> times) {
    public Result {
      times = List.copyOf(times);
    }
  }

  /**
   * Scans the entity rows.
   *
   * @param groups the key columns of each group, in the order the group's views hold their keys
   * @param limit the most pairs a group may have to be collected; 0 collects none
   */
  public static Result scan(
      Dataset<Row> entities, List<List<String>> groups, String timestampColumn, long limit) {
    List<Column> columns = new ArrayList<>();
    columns.add(unix_micros(col(AsOfJoin.quote(timestampColumn))));
    List<String> distinct = new ArrayList<>();
    for (List<String> group : limit > 0 ? groups : List.<List<String>>of()) {
      for (String column : group) {
        if (!distinct.contains(column)) {
          distinct.add(column);
          columns.add(col(AsOfJoin.quote(column)));
        }
      }
    }
    Dataset<Row> projected = entities.select(columns.toArray(Column[]::new));
    DataType[] types = new DataType[distinct.size() + 1];
    for (int i = 0; i < types.length; i++) {
      types[i] = projected.schema().fields()[i].dataType();
    }
    int[][] ordinals = new int[limit > 0 ? groups.size() : 0][];
    for (int g = 0; g < ordinals.length; g++) {
      ordinals[g] = groups.get(g).stream().mapToInt(c -> distinct.indexOf(c) + 1).toArray();
    }
    Partial scanned =
        projected
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new TaskScan(types, ordinals, limit))
            .fold(new Partial(ordinals.length), (a, b) -> a.merge(b, limit));
    List<Optional<EntityTimes>> times = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      times.add(g < ordinals.length ? scanned.pairs[g].build(types, ordinals[g], limit) : null);
    }
    return new Result(
        scanned.rows,
        scanned.rows ? scanned.min : 0,
        scanned.rows ? scanned.max : 0,
        times.stream().map(t -> t == null ? Optional.<EntityTimes>empty() : t).toList());
  }

  /** One task's scan: its timestamp range and distinct pairs per group. */
  private record TaskScan(DataType[] types, int[][] ordinals, long limit)
      implements FlatMapFunction<Iterator<InternalRow>, Partial> {
    @Override
    public Iterator<Partial> call(Iterator<InternalRow> input) {
      Partial partial = new Partial(ordinals.length);
      UnsafeProjection[] projections = new UnsafeProjection[ordinals.length];
      List<HashSet<UnsafeRow>> seen = new ArrayList<>();
      for (int g = 0; g < ordinals.length; g++) {
        List<Expression> fields = new ArrayList<>();
        for (int ordinal : ordinals[g]) {
          fields.add(new BoundReference(ordinal, types[ordinal], true));
        }
        fields.add(new BoundReference(0, DataTypes.LongType, true));
        projections[g] = UnsafeProjection.create(CollectionConverters.asScala(fields).toList());
        seen.add(new HashSet<>());
      }
      while (input.hasNext()) {
        InternalRow row = input.next();
        if (row.isNullAt(0)) {
          continue;
        }
        partial.add(row.getLong(0));
        for (int g = 0; g < ordinals.length; g++) {
          HashSet<UnsafeRow> pairs = seen.get(g);
          if (partial.pairs[g].overflow || anyNull(row, ordinals[g])) {
            continue;
          }
          UnsafeRow pair = projections[g].apply(row);
          if (!pairs.contains(pair)) {
            if (pairs.size() == limit) {
              partial.pairs[g].overflow = true;
              pairs.clear();
            } else {
              pairs.add(pair.copy());
            }
          }
        }
      }
      for (int g = 0; g < ordinals.length; g++) {
        partial.pairs[g].rows.addAll(seen.get(g));
      }
      return List.of(partial).iterator();
    }

    private static boolean anyNull(InternalRow row, int[] ordinals) {
      for (int ordinal : ordinals) {
        if (row.isNullAt(ordinal)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The scan of some tasks, merged. */
  private static final class Partial implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private boolean rows;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private final Pairs[] pairs;

    Partial(int groups) {
      pairs = new Pairs[groups];
      for (int g = 0; g < groups; g++) {
        pairs[g] = new Pairs();
      }
    }

    void add(long micros) {
      rows = true;
      min = Math.min(min, micros);
      max = Math.max(max, micros);
    }

    Partial merge(Partial other, long limit) {
      rows |= other.rows;
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
      for (int g = 0; g < pairs.length; g++) {
        pairs[g].merge(other.pairs[g], limit);
      }
      return this;
    }
  }

  /**
   * A group's pairs as rows of (keys..., timestamp), distinct within a task; serialized as their
   * bytes back to back rather than as one object each.
   */
  private static final class Pairs implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private transient List<UnsafeRow> rows = new ArrayList<>();
    private boolean overflow;

    void merge(Pairs other, long limit) {
      long cap = limit > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * limit;
      overflow |= other.overflow || rows.size() + other.rows.size() > cap;
      if (overflow) {
        rows.clear();
      } else {
        rows.addAll(other.rows);
      }
    }

    Optional<EntityTimes> build(DataType[] types, int[] ordinals, long limit) {
      if (overflow) {
        return Optional.empty();
      }
      DataType[] keyTypes = new DataType[ordinals.length];
      for (int i = 0; i < ordinals.length; i++) {
        keyTypes[i] = types[ordinals[i]];
      }
      EntityTimes times = EntityTimes.of(keyTypes, rows);
      return times.pairs() > limit ? Optional.empty() : Optional.of(times);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      out.writeInt(rows.size());
      int fields = rows.isEmpty() ? 0 : rows.get(0).numFields();
      out.writeInt(fields);
      byte[] buffer = new byte[4096];
      for (UnsafeRow row : rows) {
        out.writeInt(row.getSizeInBytes());
        row.writeToStream(out, buffer);
      }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      int count = in.readInt();
      int fields = in.readInt();
      rows = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        UnsafeRow row = new UnsafeRow(fields);
        row.pointTo(bytes, bytes.length);
        rows.add(row);
      }
    }
  }
}
