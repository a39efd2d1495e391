/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broadcast index on hand-made rows: the latest row at or before the entity time, TTL bounds,
 * duplicate event timestamps, keys whose hashes collide, rows spread over chunks.
 */
class AsOfIndexTest {
  /** Row layout: h, k (string), ts, created, f (long). */
  private static final StructType SCHEMA =
      new StructType()
          .add("h", DataTypes.LongType)
          .add("k", DataTypes.StringType)
          .add("ts", DataTypes.LongType)
          .add("created", DataTypes.LongType)
          .add("f", DataTypes.LongType);

  private static final DataType[] KEYS = {DataTypes.StringType};
  private static final DataType[] FEATURES = {DataTypes.LongType};

  private static InternalRow row(long hash, String key, long ts, Long created, Long value) {
    return new GenericInternalRow(
        new Object[] {hash, UTF8String.fromString(key), ts, created, value});
  }

  /** The rows split into chunks of {@code perChunk}, as tasks would collect them. */
  private static AsOfIndex index(int perChunk, List<InternalRow> rows) {
    List<AsOfIndex.Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += perChunk) {
      Iterator<AsOfIndex.Chunk> chunk;
      try {
        chunk =
            AsOfIndex.collector(SCHEMA, 2)
                .call(rows.subList(from, Math.min(rows.size(), from + perChunk)).iterator());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      chunk.forEachRemaining(chunks::add);
    }
    return AsOfIndex.build(chunks, KEYS, FEATURES);
  }

  /** The feature value an entity row (key, ts) gets, or null for none. */
  private static Long lookup(AsOfIndex index, long hash, String key, long ts, long ttl) {
    InternalRow probe = new GenericInternalRow(new Object[] {UTF8String.fromString(key)});
    UnsafeRow cursor = new UnsafeRow(index.fields());
    int found = index.find(hash, probe, new int[] {0}, ts, ttl, cursor);
    if (found < 0) {
      return null;
    }
    UnsafeRow pointed = new UnsafeRow(index.fields());
    index.point(pointed, found);
    assertThat(cursor.getLong(2)).isEqualTo(pointed.getLong(2));
    return cursor.isNullAt(4) ? null : cursor.getLong(4);
  }

  @Test
  void picksTheLatestRowAtOrBeforeTheEntityTime() {
    AsOfIndex index =
        index(
            2,
            List.of(
                row(7, "a", 30, null, 3L), row(7, "a", 10, null, 1L), row(7, "a", 20, null, 2L)));
    assertThat(lookup(index, 7, "a", 9, 0)).isNull();
    assertThat(lookup(index, 7, "a", 10, 0)).isEqualTo(1L);
    assertThat(lookup(index, 7, "a", 29, 0)).isEqualTo(2L);
    assertThat(lookup(index, 7, "a", 30, 0)).isEqualTo(3L);
    assertThat(lookup(index, 7, "a", Long.MAX_VALUE, 0)).isEqualTo(3L);
    assertThat(lookup(index, 8, "b", 30, 0)).isNull();
    assertThat(index.rows()).isEqualTo(3);
  }

  @Test
  void aRowExactlyTtlOldStillCountsOneMicrosecondMoreDoesNot() {
    AsOfIndex index = index(10, List.of(row(1, "a", 100, null, 1L)));
    assertThat(lookup(index, 1, "a", 150, 50)).isEqualTo(1L);
    assertThat(lookup(index, 1, "a", 151, 50)).isNull();
    // A TTL never falls back to an older row: the latest one decides.
    AsOfIndex two = index(10, List.of(row(1, "a", 100, null, 1L), row(1, "a", 10, null, 0L)));
    assertThat(lookup(two, 1, "a", 151, 50)).isNull();
  }

  @Test
  void keepsTheBestRowOfAnEventTimestampByCreatedThenValue() {
    AsOfIndex index =
        index(
            1,
            List.of(
                row(1, "a", 10, 5L, 1L),
                row(1, "a", 10, 9L, 2L),
                row(1, "a", 10, null, 3L),
                row(1, "a", 10, 7L, 4L),
                row(2, "b", 10, null, 5L),
                row(2, "b", 10, null, 8L),
                row(2, "b", 10, null, null)));
    assertThat(lookup(index, 1, "a", 10, 0)).isEqualTo(2L);
    assertThat(index.rows()).isEqualTo(2);
    // Equal created timestamps (none): the tie-break on the values is the join's everywhere.
    Long best = lookup(index, 2, "b", 10, 0);
    List<Object[]> candidates = new ArrayList<>();
    for (Long value : new Long[] {5L, 8L, null}) {
      candidates.add(new Object[] {value});
    }
    Object[] expected = candidates.get(0);
    for (Object[] candidate : candidates) {
      if (TieBreak.compare(null, candidate, null, expected) > 0) {
        expected = candidate;
      }
    }
    assertThat(best).isEqualTo(expected[0]);
  }

  @Test
  void separatesKeysWhoseHashesCollide() {
    AsOfIndex index =
        index(
            2,
            List.of(
                row(5, "a", 10, null, 1L),
                row(5, "b", 20, null, 2L),
                row(5, "a", 30, null, 3L),
                row(5, "b", 5, null, 4L)));
    assertThat(lookup(index, 5, "a", 25, 0)).isEqualTo(1L);
    assertThat(lookup(index, 5, "b", 25, 0)).isEqualTo(2L);
    assertThat(lookup(index, 5, "b", 6, 0)).isEqualTo(4L);
    assertThat(lookup(index, 5, "a", 6, 0)).isNull();
    assertThat(lookup(index, 5, "c", 100, 0)).isNull();
  }

  /**
   * Random rows, probes and TTLs against a plain scan; with hashes of 16 values (many keys collide:
   * the index splits the hashes by key) and with a hash per key.
   */
  @ParameterizedTest
  @ValueSource(longs = {16, Long.MAX_VALUE})
  void matchesAPlainScanOnRandomRows(long hashes) {
    Random random = new Random(15);
    List<InternalRow> rows = new ArrayList<>();
    List<long[]> plain = new ArrayList<>(); // key, ts, value: distinct (key, ts)
    for (int i = 0; i < 5_000; i++) {
      long key = random.nextInt(300);
      long ts = random.nextInt(10_000) - 5_000;
      long value = i;
      if (plain.stream().noneMatch(p -> p[0] == key && p[1] == ts)) {
        plain.add(new long[] {key, ts, value});
        rows.add(row(key % hashes, "k" + key, ts, null, value));
      }
    }
    AsOfIndex index = index(333, rows);
    for (int probe = 0; probe < 5_000; probe++) {
      long key = random.nextInt(320);
      long ts = random.nextInt(12_000) - 6_000;
      long ttl = random.nextBoolean() ? 0 : random.nextInt(2_000);
      long[] best = null;
      for (long[] p : plain) {
        if (p[0] == key && p[1] <= ts && (best == null || p[1] > best[1])) {
          best = p;
        }
      }
      Long expected = best == null || (ttl > 0 && best[1] < ts - ttl) ? null : best[2];
      assertThat(lookup(index, key % hashes, "k" + key, ts, ttl))
          .as("key %d at %d, ttl %d", key, ts, ttl)
          .isEqualTo(expected);
    }
  }
}
