/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Numbers the distinct keys held by the first columns of internal rows ({@code 0..size-1}) and then
 * maps each key to a range of positions ({@code start[k]..start[k+1]}). A single int64 or int32 key
 * uses an open-addressing table of primitives holding the key and its range side by side (no
 * boxing, one cache line per lookup); other keys a {@link HashMap} of their values.
 */
abstract class KeyIndex implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * The range of the row's key, packed as {@code start << 32 | end}, or -1 when it was never added.
   */
  abstract long range(InternalRow row);

  static long pack(int start, int end) {
    return ((long) start << 32) | end;
  }

  static Builder builder(DataType[] keyTypes) {
    if (keyTypes.length == 1
        && (keyTypes[0].equals(DataTypes.LongType) || keyTypes[0].equals(DataTypes.IntegerType))) {
      return new LongBuilder(keyTypes[0].equals(DataTypes.IntegerType));
    }
    return new ObjectBuilder(keyTypes);
  }

  /** Adds keys, then builds the index. */
  interface Builder {
    /** The number of the row's key, a new one if the key is new. */
    int add(InternalRow row);

    int size();

    /** The index; key {@code k} maps to {@code start[k]..start[k+1]}. */
    KeyIndex build(int[] start);
  }

  private static long mix(long value) {
    long h = value * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /** A single int64 (or int32) key. */
  private static final class LongIndex extends KeyIndex {
    @Serial private static final long serialVersionUID = 1L;

    private final boolean int32;
    // Slot i: table[2i] the key, table[2i + 1] its packed range (-1: empty slot).
    private final long[] table;
    private final int mask;

    LongIndex(boolean int32, long[] table) {
      this.int32 = int32;
      this.table = table;
      this.mask = table.length / 2 - 1;
    }

    @Override
    long range(InternalRow row) {
      long key = int32 ? row.getInt(0) : row.getLong(0);
      for (int slot = (int) mix(key) & mask; ; slot = (slot + 1) & mask) {
        long range = table[2 * slot + 1];
        if (range < 0 || table[2 * slot] == key) {
          return range;
        }
      }
    }
  }

  private static final class LongBuilder implements Builder {
    private final boolean int32;
    private final HashMap<Long, Integer> numbers = new HashMap<>();

    LongBuilder(boolean int32) {
      this.int32 = int32;
    }

    @Override
    public int add(InternalRow row) {
      long key = int32 ? row.getInt(0) : row.getLong(0);
      return numbers.computeIfAbsent(key, k -> numbers.size());
    }

    @Override
    public int size() {
      return numbers.size();
    }

    @Override
    public KeyIndex build(int[] start) {
      int capacity = Integer.highestOneBit(Math.max(2, numbers.size() * 2 + 1) - 1) << 1;
      long[] table = new long[2 * capacity];
      for (int slot = 0; slot < capacity; slot++) {
        table[2 * slot + 1] = -1;
      }
      int mask = capacity - 1;
      numbers.forEach(
          (key, number) -> {
            int slot = (int) mix(key) & mask;
            while (table[2 * slot + 1] >= 0) {
              slot = (slot + 1) & mask;
            }
            table[2 * slot] = key;
            table[2 * slot + 1] = pack(start[number], start[number + 1]);
          });
      return new LongIndex(int32, table);
    }
  }

  /** Any other key: its values (copied out of the row) in a hash map. */
  private static final class ObjectIndex extends KeyIndex {
    @Serial private static final long serialVersionUID = 1L;

    private final DataType[] keyTypes;
    private final HashMap<Object, Long> ranges;

    ObjectIndex(DataType[] keyTypes, HashMap<Object, Long> ranges) {
      this.keyTypes = keyTypes;
      this.ranges = ranges;
    }

    @Override
    long range(InternalRow row) {
      Long range = ranges.get(keyOf(row, keyTypes, false));
      return range == null ? -1 : range;
    }
  }

  private static final class ObjectBuilder implements Builder {
    private final DataType[] keyTypes;
    private final HashMap<Object, Integer> numbers = new HashMap<>();

    ObjectBuilder(DataType[] keyTypes) {
      this.keyTypes = keyTypes;
    }

    @Override
    public int add(InternalRow row) {
      return numbers.computeIfAbsent(keyOf(row, keyTypes, true), k -> numbers.size());
    }

    @Override
    public int size() {
      return numbers.size();
    }

    @Override
    public KeyIndex build(int[] start) {
      HashMap<Object, Long> ranges = new HashMap<>();
      numbers.forEach((key, number) -> ranges.put(key, pack(start[number], start[number + 1])));
      return new ObjectIndex(keyTypes, ranges);
    }
  }

  /** The lookup form of a row's key; {@code keep} copies what points into the row's buffer. */
  private static Object keyOf(InternalRow row, DataType[] keyTypes, boolean keep) {
    if (keyTypes.length == 1) {
      return value(row.get(0, keyTypes[0]), keep);
    }
    Object[] values = new Object[keyTypes.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(row.get(i, keyTypes[i]), keep);
    }
    return Arrays.asList(values);
  }

  /** A key value with value equality. */
  private static Object value(Object value, boolean keep) {
    if (value instanceof byte[] bytes) {
      return new Bytes(bytes);
    }
    if (keep && value instanceof UTF8String string) {
      return string.clone();
    }
    return value;
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
