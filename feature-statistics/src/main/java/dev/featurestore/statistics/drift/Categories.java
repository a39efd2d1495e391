/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * The PSI buckets of a string or bool feature: one per value seen in the training set (its {@value
 * #MAX} most frequent ones when it has more), plus a last "other" bucket for every other value, so
 * that a category new in the current data counts against a training share of {@link Psi#EPSILON}.
 */
final class Categories implements Serializable {
  private static final long serialVersionUID = 1L;

  /** At most this many training values get a bucket of their own. */
  static final int MAX = 100;

  /** The name of the last bucket in output. */
  static final String OTHER = "(other)";

  private final List<String> values;
  private final Map<String, Integer> index = new HashMap<>();

  Categories(List<String> values) {
    this.values = List.copyOf(values);
    for (int i = 0; i < this.values.size(); i++) {
      if (index.put(this.values.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate category: " + this.values.get(i));
      }
    }
  }

  /**
   * The buckets of the training values counted in a frequent-items sketch: every value when the
   * sketch saw at most {@value #MAX} (it counts exactly up to its map size), else the {@value #MAX}
   * with the highest estimates (ties by value, so the choice is deterministic).
   */
  static Categories ofTraining(ItemsSketch<String> training) {
    List<ItemsSketch.Row<String>> rows =
        new ArrayList<>(List.of(training.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)));
    rows.sort(
        Comparator.comparingLong((ItemsSketch.Row<String> row) -> row.getEstimate())
            .reversed()
            .thenComparing(ItemsSketch.Row::getItem));
    return new Categories(rows.stream().limit(MAX).map(ItemsSketch.Row::getItem).sorted().toList());
  }

  /** The number of buckets: one per category and the "other" one. */
  int count() {
    return values.size() + 1;
  }

  /** The bucket of a value: its category's, else the last ("other"). */
  int bucket(String value) {
    return index.getOrDefault(value, values.size());
  }

  /** The categories, without "other". */
  List<String> values() {
    return values;
  }

  @Override
  public String toString() {
    return "Categories" + values;
  }
}
