/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The streaming pass of the windowed-aggregation join on hand-made sorted input: tiles dropped once
 * no later window reaches them, keys whose sort hashes collide, null keys.
 */
class WindowMergeTest {
  private static final int EVENT = 0;
  private static final int ENTITY = 1;
  private static final Duration H = Duration.ofNanos(10_000); // 10 µs

  /** count over 2H, sum of a float64 column over H. */
  private static final TileLayout LAYOUT =
      TileLayout.of(
          new FeatureView(
              "v",
              List.of("e"),
              "s",
              Duration.ZERO,
              true,
              List.of(),
              Map.of(),
              "",
              Optional.empty(),
              Optional.of(
                  new Aggregations(
                      H,
                      List.of(
                          new Aggregation(
                              "n",
                              AggregationFunction.COUNT,
                              Optional.empty(),
                              Optional.empty(),
                              H.multipliedBy(2),
                              0,
                              ""),
                          new Aggregation(
                              "total",
                              AggregationFunction.SUM,
                              Optional.of("x"),
                              Optional.of(ValueType.FLOAT64),
                              H,
                              0,
                              ""))))));

  /** Layout: k0, ts, tag, created, v0c0, entity, sk. */
  private static InternalRow row(
      Long key, long ts, int tag, Double value, String label, long hash, long bucket) {
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

  private static List<String> merge(InternalRow... rows) {
    WindowMerge merge =
        new WindowMerge(
            new DataType[] {DataTypes.LongType},
            new DataType[] {DataTypes.StringType},
            new TileLayout[] {LAYOUT},
            new int[][] {{0, 1}});
    List<String> out = new ArrayList<>();
    for (Iterator<InternalRow> it = merge.call(List.of(rows).iterator()); it.hasNext(); ) {
      InternalRow row = it.next();
      out.add(
          row.getUTF8String(0)
              + "="
              + row.getLong(1)
              + "/"
              + (row.isNullAt(2) ? null : row.getDouble(2)));
    }
    return out;
  }

  @Test
  void keepsEveryTileALaterWindowReaches() {
    // As of 30: count covers [10, 30], sum [20, 30]. The event at 30 drops tile 0 (ts 0), not 1.
    assertThat(
            merge(
                row(1L, 0, EVENT, 1.0, null, 5, 0),
                row(1L, 15, EVENT, 2.0, null, 5, 0),
                row(1L, 30, EVENT, 4.0, null, 5, 0),
                row(1L, 30, ENTITY, null, "a", 5, 0),
                row(1L, 40, ENTITY, null, "b", 5, 0)))
        .containsExactly("a=2/4.0", "b=1/4.0");
  }

  @Test
  void keepsStatePerKeyWhenHashesCollide() {
    // Keys 1 and 2 share hash 5, so their rows interleave.
    assertThat(
            merge(
                row(2L, 12, EVENT, 5.0, null, 5, 0),
                row(1L, 14, EVENT, 1.0, null, 5, 0),
                row(2L, 25, ENTITY, null, "two", 5, 0),
                row(1L, 25, ENTITY, null, "one", 5, 0),
                row(3L, 25, ENTITY, null, "three", 6, 0),
                row(null, 25, ENTITY, null, "null key", 7, 0)))
        .containsExactly("two=1/5.0", "one=1/1.0", "three=0/null", "null key=0/null");
  }
}
