/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.statistics.internal.NullableBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Optional;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * What one pass learns about one column of compared values (numbers as doubles, categories as
 * strings): the non-null values and the nulls, the values per bucket when the buckets are known,
 * and a sketch when asked (KLL of numbers, frequent items of categories). Mergeable, so that each
 * Spark partition builds one and only these reach the driver; the sketches travel as their own
 * serialized bytes.
 *
 * <p>A null and a NaN are not values: PSI and KS compare the values present. (The training set's
 * nulls are mostly "no value within the TTL", the source's are not, so their shares do not compare;
 * null fractions are the statistics' and checks' business.)
 */
final class ColumnProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Comparison comparison;
  private final NumericBins bins; // null: no numeric buckets
  private final Categories categories; // null: no category buckets
  private final boolean sketched;
  private final long[] counts; // null: no buckets
  private long values;
  private long nulls;
  private transient KllDoublesSketch kll; // numbers, when sketched
  private transient ItemsSketch<String> items; // categories, when sketched

  private ColumnProfile(
      Comparison comparison, NumericBins bins, Categories categories, boolean sketched) {
    if (comparison == Comparison.SKIPPED) {
      throw new IllegalArgumentException("a skipped column has no profile");
    }
    this.comparison = comparison;
    this.bins = bins;
    this.categories = categories;
    this.sketched = sketched;
    int buckets = bins != null ? bins.count() : categories != null ? categories.count() : -1;
    this.counts = buckets < 0 ? null : new long[buckets];
    newSketches();
  }

  /** A profile that sketches the values, for choosing buckets (and, of numbers, KS). */
  static ColumnProfile sketching(Comparison comparison) {
    return new ColumnProfile(comparison, null, null, true);
  }

  /** A profile that counts numbers per bucket, and sketches them too when {@code sketched}. */
  static ColumnProfile counting(NumericBins bins, boolean sketched) {
    return new ColumnProfile(Comparison.NUMBER, bins, null, sketched);
  }

  /** A profile that counts categories per bucket. */
  static ColumnProfile counting(Categories categories) {
    return new ColumnProfile(Comparison.CATEGORY, null, categories, false);
  }

  /** A profile with the same buckets and sketches and nothing counted. */
  ColumnProfile empty() {
    return new ColumnProfile(comparison, bins, categories, sketched);
  }

  private void newSketches() {
    kll = sketched && comparison == Comparison.NUMBER ? SketchSize.newKll() : null;
    items =
        sketched && comparison == Comparison.CATEGORY
            ? new ItemsSketch<>(SketchSize.ITEMS_MAP)
            : null;
  }

  /** Adds a number (NaN counts as null). */
  void addNumber(double value) {
    if (Double.isNaN(value)) {
      nulls++;
      return;
    }
    values++;
    if (counts != null) {
      counts[bins.bucket(value)]++;
    }
    if (kll != null) {
      kll.update(value);
    }
  }

  /** Adds a category value. */
  void addCategory(String value) {
    values++;
    if (counts != null) {
      counts[categories.bucket(value)]++;
    }
    if (items != null) {
      items.update(value);
    }
  }

  void addNull() {
    nulls++;
  }

  Comparison comparison() {
    return comparison;
  }

  /** Adds another profile of the same column (same buckets) into this one; returns this. */
  ColumnProfile merge(ColumnProfile other) {
    values += other.values;
    nulls += other.nulls;
    if (counts != null) {
      for (int i = 0; i < counts.length; i++) {
        counts[i] += other.counts[i];
      }
    }
    if (kll != null) {
      kll.merge(other.kll);
    }
    if (items != null) {
      items.merge(other.items);
    }
    return this;
  }

  /** This profile with a KLL sketch of the same values made by another pass; returns this. */
  ColumnProfile withKll(KllDoublesSketch sketch) {
    this.kll = sketch;
    return this;
  }

  long values() {
    return values;
  }

  long nulls() {
    return nulls;
  }

  long[] counts() {
    return counts.clone();
  }

  KllDoublesSketch kll() {
    return kll;
  }

  ItemsSketch<String> items() {
    return items;
  }

  Optional<NumericBins> bins() {
    return Optional.ofNullable(bins);
  }

  Optional<Categories> categories() {
    return Optional.ofNullable(categories);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    NullableBytes.write(out, kll == null ? null : kll.toByteArray());
    NullableBytes.write(out, items == null ? null : items.toByteArray(new ArrayOfStringsSerDe()));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte[] kllBytes = NullableBytes.read(in);
    byte[] itemBytes = NullableBytes.read(in);
    kll = kllBytes == null ? null : KllDoublesSketch.heapify(Memory.wrap(kllBytes));
    items =
        itemBytes == null
            ? null
            : ItemsSketch.getInstance(Memory.wrap(itemBytes), new ArrayOfStringsSerDe());
  }
}
