/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import dev.featurestore.offline.internal.AsOfJoin.PreparedView;
import java.io.Serial;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;

/**
 * Drops, on the map side and before any shuffle, the source rows of a view that no entity row can
 * pick, so that the as-of join sorts far fewer rows.
 *
 * <p>For a key with sorted distinct entity timestamps {@code T0 < T1 < ... < Tn}, a source row with
 * event timestamp {@code t} falls in bucket {@code i}, the first {@code Ti >= t}. Rows after {@code
 * Tn}, rows of keys no entity row has, and rows older than {@code Ti - ttl} (too old for {@code
 * Ti}, so for every later entity row too) are dropped. Within a bucket only the best row is kept,
 * by the join's own order (event timestamp, then {@link TieBreak}: created timestamp, then the
 * values). That keeps every row the join can pick: the row an entity row at {@code Tj} picks lies
 * in some bucket {@code i <= j}, and a better row of the same bucket would have been picked
 * instead. The join then runs unchanged on what is left: per task at most one row per bucket, i.e.
 * per distinct entity (key, timestamp) pair, instead of every source row.
 *
 * <p>Memory per task: one row per bucket that has rows, bounded by the broadcast's pair count.
 */
public final class SourceReduce implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  @Serial private static final long serialVersionUID = 1L;
  private static final int BATCH = 64;

  private final Broadcast<EntityTimes> entityTimes;
  private final int keyCount;
  private final long ttlMicros;
  private final DataType[] featureTypes;

  private SourceReduce(
      Broadcast<EntityTimes> entityTimes, int keyCount, long ttlMicros, DataType[] featureTypes) {
    this.entityTimes = entityTimes;
    this.keyCount = keyCount;
    this.ttlMicros = ttlMicros;
    this.featureTypes = featureTypes;
  }

  /**
   * Returns the view with its rows reduced. The rows are read through Spark's internal rows, so
   * nothing is converted to {@link Row}s; the result is as lazy as the input.
   *
   * @param keyCount the number of key columns the rows start with
   */
  public static PreparedView reduce(
      PreparedView view, Broadcast<EntityTimes> entityTimes, int keyCount) {
    Dataset<Row> rows = view.rows();
    JavaRDD<InternalRow> internal = rows.queryExecution().toRdd().toJavaRDD();
    // A task keeps one row per bucket, so it cuts most when it sees many rows: fewer, larger tasks
    // (no more than the cores) shuffle far fewer rows. Coalescing moves no data.
    int cores = rows.sparkSession().sparkContext().defaultParallelism();
    if (internal.getNumPartitions() > cores) {
      internal = internal.coalesce(cores);
    }
    SourceReduce reduce =
        new SourceReduce(
            entityTimes, keyCount, view.ttlMicros(), view.featureTypes().toArray(DataType[]::new));
    RDD<InternalRow> reduced = internal.mapPartitions(reduce).rdd();
    SparkSession session = (SparkSession) rows.sparkSession();
    return new PreparedView(
        session.internalCreateDataFrame(reduced, rows.schema(), false),
        view.featureTypes(),
        view.ttlMicros());
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    EntityTimes times = entityTimes.value();
    InternalRow[] best = new InternalRow[times.pairs()];
    int[] valueOrdinals = new int[featureTypes.length];
    for (int i = 0; i < valueOrdinals.length; i++) {
      valueOrdinals[i] = keyCount + 2 + i;
    }
    RowOrder order = new RowOrder(keyCount, keyCount + 1, valueOrdinals, featureTypes);
    // Rows are taken in batches and bucketed batch by batch: the lookups of a batch do not depend
    // on each other, so the CPU overlaps their cache misses (the lookup is memory-latency bound).
    InternalRow[] batch = new InternalRow[BATCH];
    int[] buckets = new int[BATCH];
    long[] ranges = new long[BATCH];
    while (rows.hasNext()) {
      int n = 0;
      while (n < BATCH && rows.hasNext()) {
        // The input reuses its row object, so each row of the batch is copied into a reused row.
        InternalRow row = rows.next();
        if (batch[n] instanceof UnsafeRow target && row instanceof UnsafeRow source) {
          target.copyFrom(source);
        } else {
          batch[n] = row.copy();
        }
        n++;
      }
      times.bucketsOf(batch, n, keyCount, ranges, buckets);
      for (int i = 0; i < n; i++) {
        InternalRow row = batch[i];
        int bucket = buckets[i];
        if (bucket < 0
            || (ttlMicros > 0 && row.getLong(keyCount) < times.timeOf(bucket) - ttlMicros)) {
          continue;
        }
        InternalRow current = best[bucket];
        if (current == null) {
          best[bucket] = row.copy();
        } else if (order.compare(row, current) > 0) {
          if (current instanceof UnsafeRow target && row instanceof UnsafeRow source) {
            target.copyFrom(source);
          } else {
            best[bucket] = row.copy();
          }
        }
      }
    }
    return Arrays.stream(best).filter(Objects::nonNull).iterator();
  }
}
