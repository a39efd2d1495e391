/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.LongArray;
import org.apache.spark.unsafe.memory.MemoryBlock;
import org.apache.spark.util.collection.unsafe.sort.RadixSort;

/**
 * One view's source rows as a read-only index for the map-side as-of join ({@link
 * IndexedAsOfJoin}): the best row of every (keys, event timestamp), grouped by key and in time
 * order, found by the key's hash. Built on the driver from the {@link Chunk}s the tasks collect,
 * then broadcast.
 *
 * <p>Row layout: {@code h} (the keys' {@code xxhash64}, computed by Spark on both sides), the keys,
 * {@code ts} and {@code created} (epoch micros), the features. The rows are kept as Spark's own
 * {@link UnsafeRow} bytes, one array for all, so that the index serializes as a few arrays and a
 * lookup reads values in place.
 */
public final class AsOfIndex implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final DataType[] keyTypes;
  private final int fields;
  private final byte[] data;
  private final int[] offsets;
  private final long[] times;
  private final int[] runStarts;
  private final long[] runHashes;
  private final int[] table;

  /** Part of a view's rows, as one task collects them: the rows' bytes and where each ends. */
  public record Chunk(byte[] data, int[] ends) implements Serializable {}

  private AsOfIndex(
      DataType[] keyTypes,
      int fields,
      byte[] data,
      int[] offsets,
      long[] times,
      int[] runStarts,
      long[] runHashes) {
    this.keyTypes = keyTypes;
    this.fields = fields;
    this.data = data;
    this.offsets = offsets;
    this.times = times;
    this.runStarts = runStarts;
    this.runHashes = runHashes;
    int runs = runHashes.length;
    this.table = new int[Math.max(2, Integer.highestOneBit(Math.max(1, runs) * 2 - 1) << 1)];
    int mask = table.length - 1;
    for (int r = 0; r < runs; r++) {
      int slot = slot(runHashes[r]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = r + 1;
    }
  }

  /** The task side: packs a partition's rows (of {@code schema}) into one chunk. */
  public static FlatMapFunction<Iterator<InternalRow>, Chunk> collector(StructType schema) {
    return rows -> {
      UnsafeProjection project = UnsafeProjection.create(schema);
      byte[] buffer = new byte[1 << 16];
      int[] ends = new int[1024];
      int count = 0;
      int size = 0;
      while (rows.hasNext()) {
        InternalRow next = rows.next();
        UnsafeRow row = next instanceof UnsafeRow unsafe ? unsafe : project.apply(next);
        int length = row.getSizeInBytes();
        if ((long) size + length > Integer.MAX_VALUE - 16) {
          throw new IllegalStateException(
              "A task's part of a broadcast index passed 2 GB; lower --index-limit");
        }
        if (size + length > buffer.length) {
          buffer =
              Arrays.copyOf(
                  buffer,
                  (int)
                      Math.min(
                          Integer.MAX_VALUE - 16,
                          Math.max((long) size + length, 2L * buffer.length)));
        }
        Platform.copyMemory(
            row.getBaseObject(),
            row.getBaseOffset(),
            buffer,
            Platform.BYTE_ARRAY_OFFSET + size,
            length);
        size += length;
        if (count == ends.length) {
          ends = Arrays.copyOf(ends, 2 * count);
        }
        ends[count++] = size;
      }
      return List.of(new Chunk(Arrays.copyOf(buffer, size), Arrays.copyOf(ends, count))).iterator();
    };
  }

  /**
   * Builds the index of one view from its chunks.
   *
   * @param keyTypes the types of the keys (fields 1 to {@code keyTypes.length})
   * @param featureTypes the types of the features, which follow {@code ts} and {@code created}
   */
  public static AsOfIndex build(List<Chunk> chunks, DataType[] keyTypes, DataType[] featureTypes) {
    int keyCount = keyTypes.length;
    int tsOrdinal = 1 + keyCount;
    int fields = tsOrdinal + 2 + featureTypes.length;
    int[] valueOrdinals = new int[featureTypes.length];
    for (int f = 0; f < valueOrdinals.length; f++) {
      valueOrdinals[f] = tsOrdinal + 2 + f;
    }
    RowOrder order = new RowOrder(tsOrdinal, tsOrdinal + 1, valueOrdinals, featureTypes);
    long total = 0;
    for (Chunk chunk : chunks) {
      total += chunk.ends().length;
    }
    if (total > Integer.MAX_VALUE / 4) {
      throw new IllegalStateException("Too many rows for a broadcast index: " + total);
    }
    int n = (int) total;
    UnsafeRow a = new UnsafeRow(fields);
    UnsafeRow b = new UnsafeRow(fields);

    // Sort (pointer = chunk << 32 | row, prefix) pairs by time, then stably by key hash: rows of
    // one hash end up in time order. Spark's LSD radix sort skips bytes that never vary.
    LongArray pairs = new LongArray(MemoryBlock.fromLongArray(new long[Math.max(4, 4 * n)]));
    int at = 0;
    for (int c = 0; c < chunks.size(); c++) {
      for (int r = 0; r < chunks.get(c).ends().length; r++) {
        long pointer = ((long) c << 32) | r;
        point(a, chunks, pointer);
        pairs.set(at++, pointer);
        pairs.set(at++, a.getLong(tsOrdinal));
      }
    }
    int start = RadixSort.sortKeyPrefixArray(pairs, 0, n, 0, 7, false, true);
    for (int i = 0; i < n; i++) {
      long pointer = pairs.get(start + 2 * i);
      point(a, chunks, pointer);
      pairs.set(2 * i, pointer);
      pairs.set(2 * i + 1, a.getLong(0));
    }
    start = RadixSort.sortKeyPrefixArray(pairs, 0, n, 0, 7, false, true);

    // Keep the best row of every (key, ts); keys whose hashes collide are separated first.
    long[] kept = new long[n];
    int keptCount = 0;
    List<Integer> runs = new ArrayList<>();
    List<Long> hashes = new ArrayList<>();
    long bytes = 0;
    int i = 0;
    while (i < n) {
      long hash = pairs.get(start + 2 * i + 1);
      int end = i + 1;
      while (end < n && pairs.get(start + 2 * end + 1) == hash) {
        end++;
      }
      for (long[] run : byKey(pairs, start, i, end, chunks, keyTypes, fields)) {
        runs.add(keptCount);
        hashes.add(hash);
        for (int j = 0; j < run.length; j++) {
          point(a, chunks, run[j]);
          if (keptCount > runs.get(runs.size() - 1)) {
            point(b, chunks, kept[keptCount - 1]);
            if (b.getLong(tsOrdinal) == a.getLong(tsOrdinal)) {
              if (order.compare(a, b) > 0) {
                bytes += a.getSizeInBytes() - b.getSizeInBytes();
                kept[keptCount - 1] = run[j];
              }
              continue;
            }
          }
          bytes += a.getSizeInBytes();
          kept[keptCount++] = run[j];
        }
      }
      i = end;
    }
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("A broadcast index passed 2 GB; lower --index-limit");
    }
    byte[] data = new byte[(int) bytes];
    int[] offsets = new int[keptCount + 1];
    long[] times = new long[keptCount];
    int size = 0;
    for (int k = 0; k < keptCount; k++) {
      point(a, chunks, kept[k]);
      times[k] = a.getLong(tsOrdinal);
      a.writeToMemory(data, Platform.BYTE_ARRAY_OFFSET + size);
      size += a.getSizeInBytes();
      offsets[k + 1] = size;
    }
    int[] runStarts = new int[runs.size() + 1];
    long[] runHashes = new long[runs.size()];
    for (int r = 0; r < runs.size(); r++) {
      runStarts[r] = runs.get(r);
      runHashes[r] = hashes.get(r);
    }
    runStarts[runs.size()] = keptCount;
    return new AsOfIndex(keyTypes.clone(), fields, data, offsets, times, runStarts, runHashes);
  }

  /** The sorted pointers [from, to) of one hash, split by key (in first-seen order). */
  private static List<long[]> byKey(
      LongArray pairs,
      int start,
      int from,
      int to,
      List<Chunk> chunks,
      DataType[] keyTypes,
      int fields) {
    UnsafeRow first = new UnsafeRow(fields);
    UnsafeRow other = new UnsafeRow(fields);
    point(first, chunks, pairs.get(start + 2 * from));
    boolean one = true;
    for (int i = from + 1; i < to && one; i++) {
      point(other, chunks, pairs.get(start + 2 * i));
      for (int k = 0; k < keyTypes.length && one; k++) {
        one = sameValue(first, k + 1, other, k + 1, keyTypes[k]);
      }
    }
    if (one) {
      long[] run = new long[to - from];
      for (int i = from; i < to; i++) {
        run[i - from] = pairs.get(start + 2 * i);
      }
      return List.of(run);
    }
    // Two keys with one 64-bit hash: rare enough for boxed keys.
    Map<List<Object>, List<Long>> split = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      long pointer = pairs.get(start + 2 * i);
      point(other, chunks, pointer);
      List<Object> key = new ArrayList<>();
      for (int k = 0; k < keyTypes.length; k++) {
        Object value = other.get(k + 1, keyTypes[k]);
        key.add(value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value);
      }
      split.computeIfAbsent(key, x -> new ArrayList<>()).add(pointer);
    }
    return split.values().stream()
        .map(list -> list.stream().mapToLong(Long::longValue).toArray())
        .toList();
  }

  private static void point(UnsafeRow row, List<Chunk> chunks, long pointer) {
    Chunk chunk = chunks.get((int) (pointer >>> 32));
    int r = (int) pointer;
    int from = r == 0 ? 0 : chunk.ends()[r - 1];
    row.pointTo(chunk.data(), Platform.BYTE_ARRAY_OFFSET + from, chunk.ends()[r] - from);
  }

  /** The number of fields of a stored row. */
  public int fields() {
    return fields;
  }

  /** The number of (key, timestamp) rows kept. */
  public int rows() {
    return times.length;
  }

  /** The size of the stored rows in bytes. */
  public long bytes() {
    return data.length;
  }

  /**
   * Finds the row an entity row picks: the latest one at or before {@code ts} of the same keys, if
   * it is at most {@code ttlMicros} older (0: any age). Returns its index, or -1.
   *
   * @param hash the entity row's key hash (the same {@code xxhash64} as the index's {@code h})
   * @param probe the entity row
   * @param keyOrdinals where the probe row holds the keys, in the index's key order
   */
  public int find(
      long hash, InternalRow probe, int[] keyOrdinals, long ts, long ttlMicros, UnsafeRow cursor) {
    int mask = table.length - 1;
    int slot = slot(hash) & mask;
    while (true) {
      int run = table[slot] - 1;
      if (run < 0) {
        return -1;
      }
      if (runHashes[run] == hash) {
        point(cursor, runStarts[run]);
        if (sameKeys(probe, keyOrdinals, cursor)) {
          return latest(runStarts[run], runStarts[run + 1], ts, ttlMicros);
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Points {@code cursor} (of {@link #fields()} fields) at a stored row. */
  public void point(UnsafeRow cursor, int row) {
    cursor.pointTo(
        data, Platform.BYTE_ARRAY_OFFSET + offsets[row], offsets[row + 1] - offsets[row]);
  }

  private int latest(int from, int to, long ts, long ttlMicros) {
    // The last row with a time at or before ts.
    int low = from;
    int high = to - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (times[mid] <= ts) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0 || (ttlMicros > 0 && times[found] < ts - ttlMicros)) {
      return -1;
    }
    return found;
  }

  private boolean sameKeys(InternalRow probe, int[] keyOrdinals, UnsafeRow stored) {
    for (int k = 0; k < keyOrdinals.length; k++) {
      if (!sameValue(probe, keyOrdinals[k], stored, k + 1, keyTypes[k])) {
        return false;
      }
    }
    return true;
  }

  /** Whether two non-null values of the same type are equal. */
  private static boolean sameValue(InternalRow a, int ia, InternalRow b, int ib, DataType type) {
    if (type instanceof LongType) {
      return a.getLong(ia) == b.getLong(ib);
    } else if (type instanceof IntegerType) {
      return a.getInt(ia) == b.getInt(ib);
    } else if (type instanceof StringType) {
      return a.getUTF8String(ia).equals(b.getUTF8String(ib));
    } else if (type instanceof BinaryType) {
      return Arrays.equals(a.getBinary(ia), b.getBinary(ib));
    }
    return a.get(ia, type).equals(b.get(ib, type));
  }

  private static int slot(long hash) {
    long h = hash * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public String toString() {
    return "AsOfIndex[rows="
        + times.length
        + ", keys="
        + runHashes.length
        + ", bytes="
        + data.length
        + "]";
  }
}
