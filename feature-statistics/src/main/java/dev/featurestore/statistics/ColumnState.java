/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.statistics.internal.NullableBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The partial statistics of one column over some rows: exact counters and {@link Moments}, plus the
 * DataSketches sketches its type needs (KLL of the values for quantiles and the histogram, HLL for
 * the distinct count, frequent items for top values), each created on first use. It travels between
 * executors and the driver in Java serialization, the sketches as their compact bytes.
 *
 * <p>The row holds the column as {@link SparkStatistics} selects it: a number as its declared type,
 * a timestamp as epoch microseconds ({@code bigint}), an array as its length ({@code int}). It is
 * Spark's internal row, read with its typed getters: no object per value but a string's.
 */
final class ColumnState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** HLL precision: 2^12 buckets, relative standard error about 1.6% (HLL_8, 4 KiB). */
  static final int HLL_LG_K = 12;

  /** Frequent-items map size: exact counts while a partition has fewer than 768 distinct values. */
  static final int ITEMS_MAX_MAP_SIZE = 1024;

  static final int MAX_EXAMPLES = 5;

  private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

  final ValueType type;
  private final Set<String> allowed; // null: no allowed set

  long nulls;
  final Moments moments = new Moments(); // values of numbers/timestamps, lengths of arrays
  long trues;
  long falses;
  long disallowed;
  final TreeSet<String> examples = new TreeSet<>();

  transient KllDoublesSketch kll;
  transient HllSketch hll;
  transient ItemsSketch<String> items;

  ColumnState(ValueType type, Set<String> allowed) {
    this.type = type;
    this.allowed = allowed;
  }

  boolean hasAllowedSet() {
    return allowed != null;
  }

  void add(InternalRow row, int i) {
    add(row, i, false);
  }

  /**
   * Adds column {@code i} of a row; {@code arraysAsArrays} when an array column holds the array
   * itself (rows in the exact Spark types of their value types) rather than its length.
   */
  void add(InternalRow row, int i, boolean arraysAsArrays) {
    if (row.isNullAt(i)) {
      nulls++;
      return;
    }
    switch (type) {
      case INT32 -> addIntegral(row.getInt(i));
      case INT64 -> addIntegral(row.getLong(i));
      case FLOAT32 -> addFloating(row.getFloat(i), true);
      case FLOAT64 -> addFloating(row.getDouble(i), false);
      case TIMESTAMP -> addMicros(row.getLong(i));
      case STRING -> addString(row.getUTF8String(i).toString());
      case BOOL -> addBool(row.getBoolean(i));
      case BYTES -> addBytes(row.getBinary(i));
      case ARRAY_INT32, ARRAY_INT64, ARRAY_FLOAT32, ARRAY_FLOAT64, ARRAY_STRING ->
          moments.add(arraysAsArrays ? row.getArray(i).numElements() : row.getInt(i));
    }
  }

  private void addIntegral(long value) {
    moments.add(value);
    kll().update(value);
    hll().update(value);
    if (allowed != null) {
      check(Long.toString(value));
    }
  }

  private void addFloating(double value, boolean single) {
    if (!Double.isFinite(value)) {
      nulls++; // NaN and infinities are missing values (docs/data-quality.md)
      return;
    }
    moments.add(value);
    kll().update(value);
    hll().update(value);
    if (allowed != null) {
      check(single ? Float.toString((float) value) : Double.toString(value));
    }
  }

  private void addMicros(long micros) {
    double seconds = micros / 1e6;
    moments.add(seconds);
    kll().update(seconds);
    hll().update(micros);
    if (allowed != null) {
      check(
          Instant.ofEpochSecond(
                  Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
              .toString());
    }
  }

  private void addString(String value) {
    if (value.isEmpty()) {
      hll().update(EMPTY_MARKER); // HllSketch ignores empty strings
    } else {
      hll().update(value);
    }
    items().update(value);
    if (allowed != null) {
      check(value);
    }
  }

  private void addBool(boolean value) {
    if (value) {
      trues++;
    } else {
      falses++;
    }
    if (allowed != null) {
      check(Boolean.toString(value));
    }
  }

  private void addBytes(byte[] value) {
    if (value.length == 0) {
      hll().update(EMPTY_MARKER); // HllSketch ignores empty arrays
    } else {
      hll().update(value);
    }
  }

  /** Stands for the empty string or byte array in the HLL sketch, which ignores empty input. */
  private static final long EMPTY_MARKER = 0x5eed_e3b7_1e57_0000L;

  private void check(String value) {
    if (allowed.contains(value)) {
      return;
    }
    disallowed++;
    addExample(value);
  }

  private void addExample(String value) {
    examples.add(value);
    if (examples.size() > MAX_EXAMPLES) {
      examples.pollLast();
    }
  }

  ColumnState merge(ColumnState other) {
    nulls += other.nulls;
    moments.merge(other.moments);
    trues += other.trues;
    falses += other.falses;
    disallowed += other.disallowed;
    other.examples.forEach(this::addExample);
    if (other.kll != null) {
      kll().merge(other.kll);
    }
    if (other.hll != null) {
      if (hll == null) {
        hll = other.hll;
      } else {
        Union union = new Union(HLL_LG_K);
        union.update(hll);
        union.update(other.hll);
        hll = union.getResult(TgtHllType.HLL_8);
      }
    }
    if (other.items != null) {
      items().merge(other.items);
    }
    return this;
  }

  KllDoublesSketch kll() {
    if (kll == null) {
      kll = KllDoublesSketch.newHeapInstance();
    }
    return kll;
  }

  HllSketch hll() {
    if (hll == null) {
      hll = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
    }
    return hll;
  }

  ItemsSketch<String> items() {
    if (items == null) {
      items = new ItemsSketch<>(ITEMS_MAX_MAP_SIZE);
    }
    return items;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    NullableBytes.write(out, kll == null ? null : kll.toByteArray());
    NullableBytes.write(out, hll == null ? null : hll.toCompactByteArray());
    NullableBytes.write(out, items == null ? null : items.toByteArray(STRINGS));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] bytes = NullableBytes.read(in);
    kll = bytes == null ? null : KllDoublesSketch.heapify(Memory.wrap(bytes));
    bytes = NullableBytes.read(in);
    hll = bytes == null ? null : HllSketch.heapify(bytes);
    bytes = NullableBytes.read(in);
    items = bytes == null ? null : ItemsSketch.getInstance(Memory.wrap(bytes), STRINGS);
  }
}
