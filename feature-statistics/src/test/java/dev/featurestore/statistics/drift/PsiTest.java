/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.FeatureStoreException;
import org.junit.jupiter.api.Test;

class PsiTest {
  @Test
  void isZeroForEqualShares() {
    // Same shares (0.2, 0.3, 0.5) from different totals: every term is 0 * ln(1).
    assertThat(Psi.of(new long[] {2, 3, 5}, new long[] {20, 30, 50})).isEqualTo(0.0);
  }

  @Test
  void sumsTheShareDifferencesWeightedByTheirLogRatio() {
    // t = (0.5, 0.5), c = (0.25, 0.75):
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
    // = -0.25 * -0.693147 + 0.25 * 0.405465 = 0.173287 + 0.101366 = 0.274653
    assertThat(Psi.of(new long[] {50, 50}, new long[] {25, 75})).isCloseTo(0.274653, within(1e-6));
  }

  @Test
  void isSymmetric() {
    assertThat(Psi.of(new long[] {25, 75}, new long[] {50, 50}))
        .isCloseTo(Psi.of(new long[] {50, 50}, new long[] {25, 75}), within(1e-12));
  }

  @Test
  void countsAnEmptyBucketAsEpsilon() {
    // t = (1, 0 -> 0.0001), c = (0.9, 0.1):
    // (0.9 - 1) ln(0.9 / 1) + (0.1 - 0.0001) ln(0.1 / 0.0001)
    // = -0.1 * -0.1053605 + 0.0999 * 6.9077553 = 0.0105361 + 0.6900848 = 0.7006209
    assertThat(Psi.of(new long[] {10, 0}, new long[] {9, 1})).isCloseTo(0.7006209, within(1e-6));
  }

  @Test
  void rejectsDifferentBuckets() {
    assertThatThrownBy(() -> Psi.of(new long[] {1, 2}, new long[] {1, 2, 3}))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Cannot compute a PSI: 2 training buckets but 3 current ones");
  }

  @Test
  void rejectsAnEmptySide() {
    assertThatThrownBy(() -> Psi.of(new long[] {1, 2}, new long[] {0, 0}))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Cannot compute a PSI: no current values");
  }
}
