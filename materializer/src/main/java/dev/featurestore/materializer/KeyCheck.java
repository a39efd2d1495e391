/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The materializer's first pass over a view's window: how many rows, how many with a null join key,
 * and (for {@code materializer.dedupe=auto}) whether any entity key may have more than one row.
 *
 * <p>The repeat check shuffles only a 64-bit hash of each key ({@code xxhash64} of the join key
 * columns), sorts each partition and looks for equal neighbours: a few seconds per hundred million
 * rows, far less than shuffling and sorting whole rows. Two different keys with the same hash count
 * as a repeat, which only costs the full shuffle; a real repeat is never missed.
 */
final class KeyCheck {
  private KeyCheck() {}

  /**
   * @param rows source rows in the window
   * @param nullKeyRows rows with a null join key
   * @param keysMayRepeat whether some key may have two rows (true when not checked)
   */
  record Totals(long rows, long nullKeyRows, boolean keysMayRepeat) {}

  /** Rows and null-key rows; repeats are not checked (reported as possible). */
  static Totals totals(ViewRows viewRows) {
    Row totals =
        viewRows
            .rows()
            .agg(count(lit(1)), sum(when(viewRows.keysPresent(), 0).otherwise(1)))
            .first();
    return new Totals(totals.getLong(0), totals.isNullAt(1) ? 0 : totals.getLong(1), true);
  }

  /** Rows, null-key rows and whether any key has two rows, in one pass. */
  static Totals totalsAndRepeats(ViewRows viewRows) {
    Column hash = xxhash64(viewRows.keyColumns().toArray(Column[]::new));
    List<long[]> parts =
        viewRows
            .rows()
            .select(viewRows.keysPresent().as("present"), hash.as("hash"))
            .repartition(col("hash"))
            .sortWithinPartitions("hash")
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new CountPartition())
            .collect();
    long rows = 0;
    long nullKeyRows = 0;
    long repeats = 0;
    for (long[] part : parts) {
      rows += part[0];
      nullKeyRows += part[1];
      repeats += part[2];
    }
    return new Totals(rows, nullKeyRows, repeats > 0);
  }

  /** Counts rows, null-key rows and equal neighbouring hashes of one sorted partition. */
  private static final class CountPartition
      implements FlatMapFunction<Iterator<InternalRow>, long[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<long[]> call(Iterator<InternalRow> rows) {
      long count = 0;
      long nullKeys = 0;
      long repeats = 0;
      boolean any = false;
      long previous = 0;
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        count++;
        if (!row.getBoolean(0)) {
          nullKeys++;
          continue;
        }
        long hash = row.getLong(1);
        if (any && hash == previous) {
          repeats++;
        }
        any = true;
        previous = hash;
      }
      return List.of(new long[] {count, nullKeys, repeats}).iterator();
    }
  }
}
