/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class BucketsTest {
  private static KllDoublesSketch sketch(double... values) {
    KllDoublesSketch sketch = SketchSize.newKll();
    for (double value : values) {
      sketch.update(value);
    }
    return sketch;
  }

  @Test
  void decileEdgesOfTenValuesPutOneValueInEachBucket() {
    // 1..10: the inclusive quantile at rank i/10 is the smallest value with at least i of the
    // 10 values at or below it, i.e. i. Edges 1..9; buckets (-inf,1], (1,2], ..., (9,inf).
    NumericBins bins = NumericBins.ofQuantiles(sketch(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 10);

    assertThat(bins.edges()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(bins.count()).isEqualTo(10);
    assertThat(bins.bucket(-5)).isZero();
    assertThat(bins.bucket(1)).isZero();
    assertThat(bins.bucket(1.5)).isEqualTo(1);
    assertThat(bins.bucket(2)).isEqualTo(1);
    assertThat(bins.bucket(9)).isEqualTo(8);
    assertThat(bins.bucket(10)).isEqualTo(9);
    assertThat(bins.bucket(1e9)).isEqualTo(9);
  }

  @Test
  void equalQuantilesCollapseIntoOneEdge() {
    // Five 0s and five 1s: ranks 0.1..0.5 give 0, 0.6..0.9 give 1. Buckets: (-inf,0], (0,1],
    // (1,inf); the last is empty in training and catches larger current values.
    NumericBins bins = NumericBins.ofQuantiles(sketch(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), 10);

    assertThat(bins.edges()).containsExactly(0, 1);
    assertThat(bins.bucket(0)).isZero();
    assertThat(bins.bucket(1)).isEqualTo(1);
    assertThat(bins.bucket(2)).isEqualTo(2);
  }

  @Test
  void categoriesAreTheTrainingValuesPlusOther() {
    ItemsSketch<String> training = new ItemsSketch<>(SketchSize.ITEMS_MAP);
    List.of("gold", "silver", "gold", "bronze").forEach(training::update);

    Categories categories = Categories.ofTraining(training);

    assertThat(categories.values()).containsExactly("bronze", "gold", "silver");
    assertThat(categories.count()).isEqualTo(4);
    assertThat(categories.bucket("gold")).isEqualTo(1);
    assertThat(categories.bucket("platinum")).isEqualTo(3);
  }

  @Test
  void aNewCategoryCountsAgainstEpsilonInTheOtherBucket() {
    // Buckets a, b, other. t = (0.6, 0.4, 0 -> 0.0001), c = (0.5, 0.3, 0.2):
    // (0.5-0.6) ln(0.5/0.6) + (0.3-0.4) ln(0.3/0.4) + (0.2-0.0001) ln(0.2/0.0001)
    // = -0.1 * -0.1823216 + -0.1 * -0.2876821 + 0.1999 * 7.6009025
    // = 0.0182322 + 0.0287682 + 1.5194204 = 1.5664208
    Categories categories = new Categories(List.of("a", "b"));
    long[] training = new long[categories.count()];
    long[] current = new long[categories.count()];
    "aaaaaabbbb".chars().forEach(c -> training[categories.bucket(String.valueOf((char) c))]++);
    "aaaaabbbcc".chars().forEach(c -> current[categories.bucket(String.valueOf((char) c))]++);

    assertThat(training).containsExactly(6, 4, 0);
    assertThat(current).containsExactly(5, 3, 2);
    assertThat(Psi.of(training, current)).isCloseTo(1.5664208, within(1e-6));
  }

  @Test
  void theMostFrequentTrainingValuesGetBucketsWhenThereAreTooMany() {
    ItemsSketch<String> training = new ItemsSketch<>(SketchSize.ITEMS_MAP);
    for (int i = 0; i < Categories.MAX + 20; i++) {
      training.update(String.format("v%03d", i), i < 10 ? 1000 : 1);
    }

    Categories categories = Categories.ofTraining(training);

    assertThat(categories.values()).hasSize(Categories.MAX).contains("v000", "v009");
    assertThat(categories.bucket("v000")).isNotEqualTo(Categories.MAX);
  }
}
