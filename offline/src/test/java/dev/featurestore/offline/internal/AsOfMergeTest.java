/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The streaming pass on hand-made sorted input, including keys whose sort hashes collide. */
class AsOfMergeTest {
  private static final int SOURCE = 0;
  private static final int ENTITY = 1;

  /** Layout for one key, one view with one slot: k0, ts, tag, created, s0, entity, sk. */
  private static InternalRow row(
      long key, long ts, int tag, Double value, String label, long hash, long bucket) {
    return new GenericInternalRow(
        new Object[] {
          key,
          ts,
          tag,
          null,
          value,
          label == null
              ? null
              : new GenericInternalRow(new Object[] {UTF8String.fromString(label)}),
          hash << 32 | bucket
        });
  }

  private static List<String> merge(long ttlMicros, InternalRow... rows) {
    AsOfMerge merge =
        new AsOfMerge(
            new DataType[] {DataTypes.LongType},
            new DataType[] {DataTypes.DoubleType},
            new DataType[] {DataTypes.StringType},
            new int[][] {{0}},
            new long[] {ttlMicros},
            32);
    List<String> out = new ArrayList<>();
    for (Iterator<InternalRow> it = merge.call(List.of(rows).iterator()); it.hasNext(); ) {
      InternalRow row = it.next();
      out.add(row.getUTF8String(0) + "=" + (row.isNullAt(1) ? null : row.getDouble(1)));
    }
    return out;
  }

  @Test
  void keepsStatePerKeyWhenHashesCollide() {
    // Keys 1 and 2 share hash 5, so their rows interleave by time bucket.
    assertThat(
            merge(
                0,
                row(1, 10, SOURCE, 1.0, null, 5, 0),
                row(2, 11, SOURCE, 2.0, null, 5, 0),
                row(1, 20, ENTITY, null, "a", 5, 1),
                row(2, 21, ENTITY, null, "b", 5, 1),
                row(2, 22, SOURCE, 2.5, null, 5, 1),
                row(1, 23, ENTITY, null, "c", 5, 1),
                row(2, 23, ENTITY, null, "d", 5, 1),
                row(3, 5, ENTITY, null, "e", 6, 0)))
        .containsExactly("a=1.0", "b=2.0", "c=1.0", "d=2.5", "e=null");
  }

  @Test
  void appliesTheTtlInclusively() {
    assertThat(
            merge(
                10,
                row(1, 10, SOURCE, 1.0, null, 5, 0),
                row(1, 20, ENTITY, null, "exactly ttl old", 5, 0),
                row(1, 21, ENTITY, null, "too old", 5, 0)))
        .containsExactly("exactly ttl old=1.0", "too old=null");
  }
}
