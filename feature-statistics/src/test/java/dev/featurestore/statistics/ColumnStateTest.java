/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.ValueCount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class ColumnStateTest {
  @Test
  void mergesMomentsAsIfAddedInOnePass() {
    Moments all = new Moments();
    Moments left = new Moments();
    Moments right = new Moments();
    double[] values = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    for (int i = 0; i < values.length; i++) {
      all.add(values[i]);
      (i < 1 ? left : right).add(values[i]);
    }
    left.merge(right);
    left.merge(new Moments());

    Numbers merged = left.numbers().orElseThrow();
    // mean 1e9 + 10; deviations -6, -3, 3, 6: sum of squares 90, over 3
    assertThat(merged.mean()).isEqualTo(1e9 + 10);
    assertThat(merged.stddev()).isCloseTo(Math.sqrt(30), within(1e-9));
    assertThat(merged).isEqualTo(all.numbers().orElseThrow());
    assertThat(new Moments().numbers()).isEmpty();
  }

  @Test
  void oneValueHasNoSpread() {
    Moments one = new Moments();
    one.add(0.1);

    assertThat(one.numbers()).contains(new Numbers(0.1, 0.1, 0.1, 0));
  }

  @Test
  void survivesJavaSerializationWithItsSketches() throws Exception {
    ColumnState state = new ColumnState(ValueType.STRING, Set.of("a"));
    for (String value : List.of("a", "b", "b", "", "c")) {
      state.add(row(UTF8String.fromString(value)), 0);
    }
    state.add(row(null), 0);

    ColumnState copy = roundTrip(state);
    copy.merge(roundTrip(new ColumnState(ValueType.STRING, Set.of("a"))));

    FeatureStatistics statistics = Summaries.of("s", 6, copy);
    assertThat(statistics.nulls()).isEqualTo(1);
    assertThat(statistics.approxDistinct()).as("the empty string counts").isEqualTo(4);
    assertThat(statistics.topValues())
        .containsExactly(
            new ValueCount("b", 2),
            new ValueCount("", 1),
            new ValueCount("a", 1),
            new ValueCount("c", 1));
    assertThat(statistics.disallowed()).hasValue(4);
    assertThat(statistics.disallowedExamples()).containsExactly("", "b", "c");
  }

  @Test
  void keepsTheFiveSmallestDisallowedExamples() {
    ColumnState left = new ColumnState(ValueType.INT32, Set.of("0"));
    ColumnState right = new ColumnState(ValueType.INT32, Set.of("0"));
    for (int i = 9; i >= 0; i--) {
      (i % 2 == 0 ? left : right).add(row(i), 0);
    }

    FeatureStatistics statistics = Summaries.of("n", 10, left.merge(right));

    assertThat(statistics.disallowed()).hasValue(9);
    assertThat(statistics.disallowedExamples()).containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void equalValuesMakeOneBin() {
    ColumnState state = new ColumnState(ValueType.FLOAT64, null);
    for (int i = 0; i < 3; i++) {
      state.add(row(2.5), 0);
    }

    FeatureStatistics statistics = Summaries.of("x", 3, state);

    assertThat(statistics.histogram()).containsExactly(new Bin(2.5, 2.5, 3));
    assertThat(statistics.quantiles()).containsEntry("p1", 2.5).containsEntry("p99", 2.5);
  }

  @Test
  void rejectsAnAllowedSetOnAnArray() {
    assertThatThrownBy(
            () ->
                new StatisticsColumn(
                    "tags", ValueType.ARRAY_STRING, "tags", Optional.of(Set.of("a"))))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot compute statistics of feature 'tags': an allowed set applies to string, bool,"
                + " number and timestamp features, not array<string>");
  }

  private static InternalRow row(Object value) {
    return new GenericInternalRow(new Object[] {value});
  }

  private static ColumnState roundTrip(ColumnState state)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ColumnState) in.readObject();
    }
  }
}
