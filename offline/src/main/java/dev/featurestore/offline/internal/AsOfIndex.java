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
  private final int keys;
  private final long[] table;

  /**
   * Part of a view's rows, as one task collects them: the rows' bytes, where each ends, and each
   * row's {@code h} and {@code ts} (so that the driver sorts without reading the rows).
   */
  public record Chunk(byte[] data, int[] ends, long[] hashes, long[] times)
      implements Serializable {}

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
    this.keys = runHashes.length;
    // Open addressing, at most half full; a slot holds a key's hash and its run of rows
    // (start << 32 | end), so that a lookup reads one cache line before the rows.
    int slots = Math.max(2, Integer.highestOneBit(Math.max(1, keys) * 2 - 1) << 1);
    this.table = new long[2 * slots];
    int mask = slots - 1;
    for (int r = 0; r < keys; r++) {
      int slot = slot(runHashes[r]) & mask;
      while (table[2 * slot + 1] != 0) {
        slot = (slot + 1) & mask;
      }
      table[2 * slot] = runHashes[r];
      table[2 * slot + 1] = ((long) runStarts[r] << 32) | runStarts[r + 1];
    }
  }

  /**
   * The task side: packs a partition's rows (of {@code schema}: {@code h} first, {@code ts} at
   * {@code tsOrdinal}) into one chunk.
   */
  public static FlatMapFunction<Iterator<InternalRow>, Chunk> collector(
      StructType schema, int tsOrdinal) {
    return rows -> {
      UnsafeProjection project = UnsafeProjection.create(schema);
      byte[] buffer = new byte[1 << 16];
      int[] ends = new int[1024];
      long[] hashes = new long[1024];
      long[] times = new long[1024];
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
          hashes = Arrays.copyOf(hashes, 2 * count);
          times = Arrays.copyOf(times, 2 * count);
        }
        hashes[count] = row.getLong(0);
        times[count] = row.getLong(tsOrdinal);
        ends[count++] = size;
      }
      return List.of(
              new Chunk(
                  Arrays.copyOf(buffer, size),
                  Arrays.copyOf(ends, count),
                  Arrays.copyOf(hashes, count),
                  Arrays.copyOf(times, count)))
          .iterator();
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

    // Sort pointers (chunk << 32 | row) by key hash (Spark's LSD radix sort on (pointer, prefix)
    // pairs), then each hash's few rows by time.
    LongArray pairs = new LongArray(MemoryBlock.fromLongArray(new long[Math.max(4, 4 * n)]));
    int at = 0;
    long chunkBytes = 0;
    for (int c = 0; c < chunks.size(); c++) {
      long[] hashes = chunks.get(c).hashes();
      for (int r = 0; r < hashes.length; r++) {
        pairs.set(at++, ((long) c << 32) | r);
        pairs.set(at++, hashes[r]);
      }
      chunkBytes += chunks.get(c).data().length;
    }
    int start = RadixSort.sortKeyPrefixArray(pairs, 0, n, 0, 7, false, true);
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = pairs.get(start + 2 * i);
    }
    pairs = null;
    long[] times = new long[0];
    for (int i = 0; i < n; ) {
      long hash = hashOf(chunks, sorted[i]);
      int end = i + 1;
      while (end < n && hashOf(chunks, sorted[end]) == hash) {
        end++;
      }
      if (end - i > 1) {
        if (times.length < end - i) {
          times = new long[Math.max(2 * times.length, end - i)];
        }
        sortByTime(chunks, sorted, i, end, times);
      }
      i = end;
    }
    int capacity = (int) Math.min(chunkBytes, Integer.MAX_VALUE - 16);
    AsOfIndex index = copy(chunks, sorted, keyTypes, fields, order, capacity, false);
    if (index == null) {
      // Two keys share a hash (rare): their rows interleave by time; make each key's contiguous.
      groupKeys(chunks, sorted, keyTypes, fields);
      index = copy(chunks, sorted, keyTypes, fields, order, capacity, true);
    }
    return index;
  }

  /** Sorts {@code sorted[from, to)} by time (insertion sort for the few rows of most hashes). */
  private static void sortByTime(
      List<Chunk> chunks, long[] sorted, int from, int to, long[] times) {
    int m = to - from;
    for (int j = 0; j < m; j++) {
      long pointer = sorted[from + j];
      times[j] = chunks.get((int) (pointer >>> 32)).times()[(int) pointer];
    }
    if (m > 32) {
      // Many rows of one hash (a hot key): a radix sort of (pointer, time) pairs.
      LongArray pairs = new LongArray(MemoryBlock.fromLongArray(new long[4 * m]));
      for (int j = 0; j < m; j++) {
        pairs.set(2 * j, sorted[from + j]);
        pairs.set(2 * j + 1, times[j]);
      }
      int start = RadixSort.sortKeyPrefixArray(pairs, 0, m, 0, 7, false, true);
      for (int j = 0; j < m; j++) {
        sorted[from + j] = pairs.get(start + 2 * j);
      }
      return;
    }
    for (int j = 1; j < m; j++) {
      long pointer = sorted[from + j];
      long time = times[j];
      int k = j - 1;
      while (k >= 0 && times[k] > time) {
        sorted[from + k + 1] = sorted[from + k];
        times[k + 1] = times[k];
        k--;
      }
      sorted[from + k + 1] = pointer;
      times[k + 1] = time;
    }
  }

  /**
   * The rows in sorted order, copied once, the best of every (key, ts) kept. A row whose keys
   * differ from its run's under the same hash starts a new run when {@code keysContiguous} (each
   * key's rows follow each other, see {@link #groupKeys}); otherwise it means keys share a hash,
   * and the result is null.
   */
  private static AsOfIndex copy(
      List<Chunk> chunks,
      long[] sorted,
      DataType[] keyTypes,
      int fields,
      RowOrder order,
      int capacity,
      boolean keysContiguous) {
    int n = sorted.length;
    byte[] data = new byte[capacity];
    int[] offsets = new int[n + 1];
    long[] times = new long[n];
    int[] runStarts = new int[n + 1];
    long[] runHashes = new long[n];
    int runs = 0;
    int kept = 0;
    UnsafeRow row = new UnsafeRow(fields);
    UnsafeRow first = new UnsafeRow(fields);
    UnsafeRow last = new UnsafeRow(fields);
    for (int i = 0; i < n; i++) {
      long pointer = sorted[i];
      Chunk chunk = chunks.get((int) (pointer >>> 32));
      long hash = chunk.hashes()[(int) pointer];
      long ts = chunk.times()[(int) pointer];
      point(row, chunks, pointer);
      boolean sameRun = runs > 0 && runHashes[runs - 1] == hash;
      if (sameRun) {
        pointAt(first, data, offsets, runStarts[runs - 1]);
        for (int k = 0; k < keyTypes.length && sameRun; k++) {
          sameRun = sameValue(row, k + 1, first, k + 1, keyTypes[k]);
        }
        if (!sameRun && !keysContiguous) {
          return null;
        }
      }
      if (sameRun && times[kept - 1] == ts) {
        pointAt(last, data, offsets, kept - 1);
        if (order.compare(row, last) <= 0) {
          continue;
        }
        kept--; // the better row replaces the last one, which is at the end of data
      } else if (!sameRun) {
        runStarts[runs] = kept;
        runHashes[runs++] = hash;
      }
      if ((long) offsets[kept] + row.getSizeInBytes() > capacity) {
        throw new IllegalStateException("A broadcast index passed 2 GB; lower --index-limit");
      }
      row.writeToMemory(data, Platform.BYTE_ARRAY_OFFSET + offsets[kept]);
      offsets[kept + 1] = offsets[kept] + row.getSizeInBytes();
      times[kept++] = ts;
    }
    runStarts[runs] = kept;
    int size = offsets[kept];
    return new AsOfIndex(
        keyTypes.clone(),
        fields,
        size < capacity - capacity / 16 ? Arrays.copyOf(data, size) : data,
        Arrays.copyOf(offsets, kept + 1),
        Arrays.copyOf(times, kept),
        Arrays.copyOf(runStarts, runs + 1),
        Arrays.copyOf(runHashes, runs));
  }

  private static void pointAt(UnsafeRow row, byte[] data, int[] offsets, int index) {
    row.pointTo(
        data, Platform.BYTE_ARRAY_OFFSET + offsets[index], offsets[index + 1] - offsets[index]);
  }

  /**
   * Reorders each hash's pointers (in time order) so that each key's rows follow each other, still
   * in time order.
   */
  private static void groupKeys(
      List<Chunk> chunks, long[] sorted, DataType[] keyTypes, int fields) {
    int n = sorted.length;
    for (int i = 0; i < n; ) {
      long hash = hashOf(chunks, sorted[i]);
      int end = i + 1;
      while (end < n && hashOf(chunks, sorted[end]) == hash) {
        end++;
      }
      int at = i;
      for (long[] run : byKey(sorted, i, end, chunks, keyTypes, fields)) {
        System.arraycopy(run, 0, sorted, at, run.length);
        at += run.length;
      }
      i = end;
    }
  }

  /** The sorted pointers [from, to) of one hash, split by key (in first-seen order). */
  private static List<long[]> byKey(
      long[] sorted, int from, int to, List<Chunk> chunks, DataType[] keyTypes, int fields) {
    UnsafeRow first = new UnsafeRow(fields);
    UnsafeRow other = new UnsafeRow(fields);
    point(first, chunks, sorted[from]);
    boolean one = true;
    for (int i = from + 1; i < to && one; i++) {
      point(other, chunks, sorted[i]);
      for (int k = 0; k < keyTypes.length && one; k++) {
        one = sameValue(first, k + 1, other, k + 1, keyTypes[k]);
      }
    }
    if (one) {
      return List.of(Arrays.copyOfRange(sorted, from, to));
    }
    // Two keys with one 64-bit hash: rare enough for boxed keys.
    Map<List<Object>, List<Long>> split = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      long pointer = sorted[i];
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

  private static long hashOf(List<Chunk> chunks, long pointer) {
    return chunks.get((int) (pointer >>> 32)).hashes()[(int) pointer];
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
   * it is at most {@code ttlMicros} older (0: any age). Returns its index, with {@code cursor}
   * pointing at it, or -1.
   *
   * @param hash the entity row's key hash (the same {@code xxhash64} as the index's {@code h})
   * @param probe the entity row
   * @param keyOrdinals where the probe row holds the keys, in the index's key order
   */
  public int find(
      long hash, InternalRow probe, int[] keyOrdinals, long ts, long ttlMicros, UnsafeRow cursor) {
    int mask = table.length / 2 - 1;
    int slot = slot(hash) & mask;
    while (true) {
      long run = table[2 * slot + 1];
      if (run == 0) {
        return -1; // runs are never empty, so no run is (0, 0)
      }
      if (table[2 * slot] == hash) {
        int start = (int) (run >>> 32);
        // The keys are checked on the row found (read anyway), else on the run's first row.
        int found = latest(start, (int) run, ts);
        point(cursor, found >= 0 ? found : start);
        if (sameKeys(probe, keyOrdinals, cursor)) {
          return found < 0 || (ttlMicros > 0 && times[found] < ts - ttlMicros) ? -1 : found;
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

  /** The last row of [from, to) with a time at or before ts, or -1. */
  private int latest(int from, int to, long ts) {
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
    return "AsOfIndex[rows=" + times.length + ", keys=" + keys + ", bytes=" + data.length + "]";
  }
}
